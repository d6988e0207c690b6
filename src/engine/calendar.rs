//! The event calendar: a binary min-heap of (time, sequence, event). Events at equal times pop
//! in the order they were scheduled (first in, first out), so a run is reproducible bit for bit.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

struct Entry<E> {
    time: f64,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed so that `BinaryHeap` (a max-heap) pops the earliest (time, seq) first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .time
            .total_cmp(&self.time)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

/// A future-event list. Time is in the model's unit (days for clearance) and never decreases.
pub struct Calendar<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
    now: f64,
    popped: u64,
}

impl<E> Default for Calendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Calendar<E> {
    pub fn new() -> Self {
        Calendar {
            heap: BinaryHeap::new(),
            seq: 0,
            now: 0.0,
            popped: 0,
        }
    }

    pub fn with_capacity(n: usize) -> Self {
        Calendar {
            heap: BinaryHeap::with_capacity(n),
            ..Self::new()
        }
    }

    /// Current simulation time: the time of the last event popped.
    #[inline]
    pub fn now(&self) -> f64 {
        self.now
    }

    /// Schedule `event` at `time`. A time in the past is clamped to now (events never go back).
    #[inline]
    pub fn schedule(&mut self, time: f64, event: E) {
        let time = if time < self.now { self.now } else { time };
        self.heap.push(Entry {
            time,
            seq: self.seq,
            event,
        });
        self.seq += 1;
    }

    /// Remove and return the earliest event, advancing the clock to its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let e = self.heap.pop()?;
        self.now = e.time;
        self.popped += 1;
        Some((e.time, e.event))
    }

    /// Time of the earliest pending event.
    #[inline]
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.peek().map(|e| e.time)
    }

    /// Advance the clock without an event (for events fed from outside the calendar).
    #[inline]
    pub fn advance_to(&mut self, t: f64) {
        if t > self.now {
            self.now = t;
        }
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Number of events popped so far.
    pub fn popped(&self) -> u64 {
        self.popped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order() {
        let mut c = Calendar::new();
        for (i, t) in [5.0, 1.0, 3.0, 2.0, 4.0].iter().enumerate() {
            c.schedule(*t, i);
        }
        let times: Vec<f64> = std::iter::from_fn(|| c.pop().map(|(t, _)| t)).collect();
        assert_eq!(times, vec![1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(c.popped(), 5);
    }

    #[test]
    fn ties_pop_in_insertion_order() {
        let mut c = Calendar::new();
        for i in 0..100 {
            c.schedule(if i % 2 == 0 { 1.0 } else { 0.5 }, i);
        }
        let order: Vec<i32> = std::iter::from_fn(|| c.pop().map(|(_, e)| e)).collect();
        let odd: Vec<i32> = (0..100).filter(|i| i % 2 == 1).collect();
        let even: Vec<i32> = (0..100).filter(|i| i % 2 == 0).collect();
        assert_eq!(&order[..50], &odd[..]);
        assert_eq!(&order[50..], &even[..]);
    }

    #[test]
    fn time_never_goes_back() {
        let mut c = Calendar::new();
        c.schedule(2.0, 'a');
        assert_eq!(c.pop(), Some((2.0, 'a')));
        c.schedule(1.0, 'b');
        assert_eq!(c.pop(), Some((2.0, 'b')));
        assert_eq!(c.now(), 2.0);
    }
}
