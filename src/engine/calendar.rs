//! The event calendar: a 4-ary min-heap of (time, sequence, event), plus optional FIFO lanes for
//! events whose times are known to arrive in non-decreasing order (e.g. a fixed delay after
//! events that happen in time order). Every pop takes the least (time, sequence) over the heap
//! and the lane fronts, so lanes change speed, never order: events at equal times pop in the
//! order they were scheduled, and a run is reproducible bit for bit. A popped root's slot is
//! left for the next schedule to fill (see `Heap`), which changes the heap's layout, never
//! the order of its pops.

use std::collections::VecDeque;

/// A pending event. Its time is kept as IEEE bits: for times >= 0 they order like the value,
/// and integers compare faster than floats.
#[derive(Clone, Copy)]
struct Entry<E> {
    key: u64,
    seq: u64,
    event: E,
}

impl<E> Entry<E> {
    #[inline(always)]
    fn time(&self) -> f64 {
        f64::from_bits(self.key)
    }
}

/// True when `a` pops before `b`: earlier time, then earlier scheduling.
#[inline(always)]
fn before<E>(a: &Entry<E>, b: &Entry<E>) -> bool {
    // (time, sequence) as one 128-bit number, compared at once: a compare and a subtract with
    // borrow, no branch on the data.
    let ka = ((a.key as u128) << 64) | a.seq as u128;
    let kb = ((b.key as u128) << 64) | b.seq as u128;
    ka < kb
}

/// Children per node of the heap: a 4-ary heap is half as deep as a binary one and its
/// siblings share a cache line or two, which makes pops cheaper for the calendar's sizes.
const ARITY: usize = 4;

/// A 4-ary min-heap of entries ordered by [`before`].
///
/// A pop leaves its root in place, marked `stale`, and the next push takes the free slot: an
/// event loop that pops an event and schedules the next one (a server's next service end) pays
/// for one descent from the root instead of a pop's and a push's. Whatever looks at the heap
/// first removes a stale root for good ([`Heap::settle`]). The entries held, and so the order
/// of the pops (every (time, sequence) is distinct), are what an eager pop would give.
struct Heap<E> {
    v: Vec<Entry<E>>,
    /// `v[0]` was popped: its slot is free for the next push.
    stale: bool,
}

impl<E: Copy> Heap<E> {
    #[inline]
    fn push(&mut self, e: Entry<E>) {
        if self.stale {
            // The popped root's slot takes the new entry.
            self.stale = false;
            self.place_from_root(e);
            return;
        }
        let mut i = self.v.len();
        self.v.push(e);
        while i > 0 {
            let p = (i - 1) / ARITY;
            if !before(&e, &self.v[p]) {
                break;
            }
            self.v[i] = self.v[p];
            i = p;
        }
        self.v[i] = e;
    }

    /// Remove a stale root for good.
    #[inline(always)]
    fn settle(&mut self) {
        if self.stale {
            self.remove_stale_root();
        }
    }

    /// The last entry fills the stale root's slot. Out of line: most pops are followed by a
    /// push, which fills the slot instead.
    #[inline(never)]
    fn remove_stale_root(&mut self) {
        self.stale = false;
        let last = self.v.pop().expect("a stale root is an entry");
        if !self.v.is_empty() {
            self.place_from_root(last);
        }
    }

    /// The number of entries pending (a stale root is not).
    fn len(&self) -> usize {
        self.v.len() - self.stale as usize
    }

    #[inline]
    fn peek(&mut self) -> Option<&Entry<E>> {
        self.settle();
        self.v.first()
    }

    /// The least entry, popped: its slot stays as a stale root until the next push or look.
    #[inline]
    fn pop(&mut self) -> Option<Entry<E>> {
        self.settle();
        let top = *self.v.first()?;
        self.stale = true;
        Some(top)
    }

    /// Put `e` in the heap whose root slot (of a non-empty `v`) is free. Inlined into `push`,
    /// which most pops are followed by.
    #[inline(always)]
    fn place_from_root(&mut self, e: Entry<E>) {
        let v = &mut self.v[..];
        let n = v.len();
        // Move the hole from the root down to a leaf along the least children, then sift `e`
        // up from there: an entry put in nearly always belongs near the bottom (a new event is
        // later than most), so this saves the comparison with it on every level on the way down.
        let mut i = 0;
        loop {
            let c = ARITY * i + 1;
            let m = if let Some(v) = v.get(c..c + ARITY) {
                // All four children: a tournament of selects, which compile to conditional
                // moves (the outcome of comparing random times is a coin toss to a predictor).
                let a = if before(&v[1], &v[0]) { 1 } else { 0 };
                let b = if before(&v[3], &v[2]) { 3 } else { 2 };
                c + if before(&v[b], &v[a]) { b } else { a }
            } else if c < n {
                let mut m = c;
                for k in c + 1..n {
                    if before(&v[k], &v[m]) {
                        m = k;
                    }
                }
                m
            } else {
                break;
            };
            v[i] = v[m];
            i = m;
        }
        while i > 0 {
            let p = (i - 1) / ARITY;
            if !before(&e, &v[p]) {
                break;
            }
            v[i] = v[p];
            i = p;
        }
        v[i] = e;
    }
}

/// The earliest pending event, as [`Calendar::peek_next`] found it.
#[derive(Debug, Clone, Copy)]
pub struct Next {
    lane: Option<usize>,
    /// Its time.
    pub time: f64,
}

/// Handle of a FIFO lane of a calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lane(usize);

/// A future-event list. Time is in the model's unit (days for clearance) and never decreases.
pub struct Calendar<E> {
    heap: Heap<E>,
    lanes: Vec<VecDeque<Entry<E>>>,
    seq: u64,
    now: f64,
    popped: u64,
    /// Sequence number of the event popped last.
    last_seq: u64,
}

impl<E: Copy> Default for Calendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> Calendar<E> {
    /// A calendar starting at time 0. Times must be >= 0 (the clock starts at 0 and never
    /// goes back).
    pub fn new() -> Self {
        Calendar {
            heap: Heap {
                v: Vec::new(),
                stale: false,
            },
            lanes: Vec::new(),
            seq: 0,
            now: 0.0,
            popped: 0,
            last_seq: 0,
        }
    }

    /// An empty calendar starting at time 0, with room for `n` events in its heap before it
    /// reallocates.
    pub fn with_capacity(n: usize) -> Self {
        Calendar {
            heap: Heap {
                v: Vec::with_capacity(n),
                stale: false,
            },
            ..Self::new()
        }
    }

    /// Current simulation time: the time of the last event popped.
    #[inline]
    pub fn now(&self) -> f64 {
        self.now
    }

    /// Schedule `event` at `time`. A time in the past (or NaN) is clamped to now: events never
    /// go back, and times stay >= 0.
    #[inline]
    pub fn schedule(&mut self, time: f64, event: E) {
        // `>`, not `>=`: -0.0 (whose bits would sort last) and NaN become `now`.
        let time = if time > self.now { time } else { self.now };
        self.heap.push(Entry {
            key: time.to_bits(),
            seq: self.seq,
            event,
        });
        self.seq += 1;
    }

    /// Add a FIFO lane for events scheduled in non-decreasing time order.
    pub fn add_lane(&mut self) -> Lane {
        self.lanes.push(VecDeque::new());
        Lane(self.lanes.len() - 1)
    }

    /// Schedule `event` at `time` in a lane. If the time is earlier than the lane's last event
    /// the event goes to the heap instead, so ordering is always exact.
    #[inline]
    pub fn schedule_in(&mut self, lane: Lane, time: f64, event: E) {
        let time = if time > self.now { time } else { self.now };
        let q = &mut self.lanes[lane.0];
        if q.back().is_some_and(|b| b.time() > time) {
            self.schedule(time, event);
            return;
        }
        q.push_back(Entry {
            key: time.to_bits(),
            seq: self.seq,
            event,
        });
        self.seq += 1;
    }

    /// Where the earliest event is: `None` = heap, `Some(i)` = lane i; and its time.
    #[inline]
    fn earliest(&mut self) -> Option<(Option<usize>, f64)> {
        let mut best: Option<(Option<usize>, &Entry<E>)> = self.heap.peek().map(|e| (None, e));
        for (i, q) in self.lanes.iter().enumerate() {
            if let Some(e) = q.front() {
                if best.is_none_or(|(_, b)| before(e, b)) {
                    best = Some((Some(i), e));
                }
            }
        }
        best.map(|(w, e)| (w, e.time()))
    }

    /// Remove and return the earliest event, advancing the clock to its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let next = self.peek_next()?;
        Some(self.pop_next(next))
    }

    /// Time of the earliest pending event.
    #[inline]
    pub fn peek_time(&mut self) -> Option<f64> {
        self.peek_next().map(|n| n.time)
    }

    /// The earliest pending event's time and where it is, to pop it with [`Calendar::pop_next`]
    /// without looking for it again.
    #[inline]
    pub fn peek_next(&mut self) -> Option<Next> {
        self.earliest().map(|(lane, time)| Next { lane, time })
    }

    /// The event `next` (from [`Calendar::peek_next`], with nothing scheduled since) will
    /// pop, without popping it.
    #[inline]
    pub fn event_of(&self, next: Next) -> &E {
        // `peek_next` removed any stale root, and nothing popped since.
        debug_assert!(next.lane.is_some() || !self.heap.stale);
        let e = match next.lane {
            None => self.heap.v.first(),
            Some(i) => self.lanes[i].front(),
        };
        &e.expect("event_of: the event peeked is pending").event
    }

    /// Pop the event `next` (from [`Calendar::peek_next`], with nothing scheduled since),
    /// advancing the clock to its time.
    #[inline]
    pub fn pop_next(&mut self, next: Next) -> (f64, E) {
        let e = match next.lane {
            None => self.heap.pop(),
            Some(i) => self.lanes[i].pop_front(),
        }
        .expect("pop_next: the event peeked is pending");
        self.now = e.time();
        self.popped += 1;
        self.last_seq = e.seq;
        (e.time(), e.event)
    }

    /// Advance the clock without an event (for events fed from outside the calendar).
    #[inline]
    pub fn advance_to(&mut self, t: f64) {
        if t > self.now {
            self.now = t;
        }
    }

    /// Events pending \[events\].
    pub fn len(&self) -> usize {
        self.heap.len() + self.lanes.iter().map(|q| q.len()).sum::<usize>()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The next sequence number, taken as if an event were scheduled now, for an event its
    /// caller keeps outside the calendar but orders with it: (time, this number) is where the
    /// event would have popped.
    #[inline]
    pub fn take_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq - 1
    }

    /// Sequence number of the event popped last (with its time, its place in the order).
    #[inline]
    pub fn last_seq(&self) -> u64 {
        self.last_seq
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
    fn lanes_keep_the_exact_global_order() {
        // The same schedule through heap only and through heap + lane pops identically.
        let plan: Vec<(f64, bool)> = (0..200)
            .map(|i| {
                let x = (i * 37 % 101) as f64 / 10.0;
                // lane events: non-decreasing times; heap events: scattered
                if i % 3 == 0 {
                    ((i / 3) as f64 * 0.3, true)
                } else {
                    (x, false)
                }
            })
            .collect();
        let mut heap_only = Calendar::new();
        let mut with_lane = Calendar::new();
        let lane = with_lane.add_lane();
        for (i, (t, in_lane)) in plan.iter().enumerate() {
            heap_only.schedule(*t, i);
            if *in_lane {
                with_lane.schedule_in(lane, *t, i);
            } else {
                with_lane.schedule(*t, i);
            }
        }
        // An out-of-order lane event falls back to the heap.
        heap_only.schedule(0.05, 999);
        with_lane.schedule_in(lane, 0.05, 999);
        let a: Vec<usize> = std::iter::from_fn(|| heap_only.pop().map(|(_, e)| e)).collect();
        let b: Vec<usize> = std::iter::from_fn(|| with_lane.pop().map(|(_, e)| e)).collect();
        assert_eq!(a, b);
        assert_eq!(a.len(), 201);
    }

    #[test]
    fn random_interleavings_pop_like_a_sorted_reference() {
        // Schedules and pops interleaved at random, with many equal times, against a reference
        // that keeps every pending (time, seq) and takes the least: the 4-ary heap must pop the
        // exact same sequence, whatever its size.
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        for round in 0..20 {
            let mut cal = Calendar::new();
            let mut reference: Vec<(f64, u64)> = Vec::new();
            let mut seq = 0u64;
            let mut now = 0.0f64;
            for _ in 0..2_000 + 300 * round {
                if rng.random::<f64>() < 0.55 || reference.is_empty() {
                    let dt = if rng.random::<f64>() < 0.4 {
                        rng.random_range(0..4) as f64 * 0.25
                    } else {
                        rng.random::<f64>() * 3.0
                    };
                    cal.schedule(now + dt, seq);
                    reference.push((now + dt, seq));
                    seq += 1;
                } else {
                    let i = (0..reference.len())
                        .min_by(|&a, &b| {
                            let (x, y) = (reference[a], reference[b]);
                            x.0.total_cmp(&y.0).then(x.1.cmp(&y.1))
                        })
                        .unwrap();
                    let want = reference.swap_remove(i);
                    assert_eq!(cal.pop(), Some(want));
                    now = want.0;
                }
            }
            assert_eq!(cal.len(), reference.len());
        }
    }

    #[test]
    fn a_popped_root_is_gone_whatever_comes_next() {
        // After a pop the heap keeps the root's slot for the next push: a schedule, a peek, a
        // pop or `len` must each see the popped event gone.
        let mut c = Calendar::new();
        for (i, t) in [3.0, 1.0, 2.0, 5.0, 4.0, 6.0].iter().enumerate() {
            c.schedule(*t, i);
        }
        assert_eq!(c.pop(), Some((1.0, 1)));
        assert_eq!(c.len(), 5);
        assert_eq!(c.peek_time(), Some(2.0));
        assert_eq!(c.pop(), Some((2.0, 2)));
        c.schedule(2.5, 6); // takes the popped root's slot, and is the earliest
        assert_eq!(c.len(), 5);
        assert_eq!(c.pop(), Some((2.5, 6)));
        c.schedule(9.0, 7); // takes the slot, and belongs at the bottom
        let rest: Vec<(f64, usize)> = std::iter::from_fn(|| c.pop()).collect();
        assert_eq!(rest, vec![(3.0, 0), (4.0, 4), (5.0, 3), (6.0, 5), (9.0, 7)]);
        assert!(c.is_empty());
        c.schedule(10.0, 8);
        assert_eq!(c.pop(), Some((10.0, 8)));
        assert!(c.is_empty());
        assert_eq!(c.peek_time(), None);
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
