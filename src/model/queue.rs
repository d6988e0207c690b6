//! The queue every stage uses: FIFO within a priority class, higher classes (lower index)
//! served first. With one class it is a plain FIFO queue, with no extra indirection.

use std::collections::VecDeque;

#[derive(Debug, Clone)]
/// A queue of group ids: FIFO within a priority class, higher classes (lower index) served first.
pub struct ClassQueue {
    /// Class 0 (the only class when the scenario has no classes).
    first: VecDeque<u32>,
    /// Classes 1, 2, …
    rest: Vec<VecDeque<u32>>,
    /// Groups in `rest`.
    rest_len: usize,
}

impl ClassQueue {
    /// An empty queue for `classes` priority classes (at least one).
    pub fn new(classes: usize) -> Self {
        ClassQueue {
            first: VecDeque::new(),
            rest: vec![VecDeque::new(); classes.max(1) - 1],
            rest_len: 0,
        }
    }

    #[inline]
    /// Add group `g` at the tail of class `class`.
    pub fn push_back(&mut self, class: u8, g: u32) {
        if class == 0 {
            self.first.push_back(g);
        } else {
            self.rest[class as usize - 1].push_back(g);
            self.rest_len += 1;
        }
    }

    /// Put a group back at the head of its class (for groups passed over by first-fit).
    #[inline]
    pub fn push_front(&mut self, class: u8, g: u32) {
        if class == 0 {
            self.first.push_front(g);
        } else {
            self.rest[class as usize - 1].push_front(g);
            self.rest_len += 1;
        }
    }

    /// The group served next: the head of the highest non-empty class.
    #[inline]
    pub fn front(&self) -> Option<u32> {
        match self.first.front() {
            Some(g) => Some(*g),
            None if self.rest_len == 0 => None,
            None => self.rest.iter().find_map(|c| c.front().copied()),
        }
    }

    #[inline]
    /// Take the group served next: the head of the highest non-empty class.
    pub fn pop_front(&mut self) -> Option<u32> {
        match self.first.pop_front() {
            Some(g) => Some(g),
            None if self.rest_len == 0 => None,
            None => {
                let g = self.rest.iter_mut().find_map(|c| c.pop_front());
                if g.is_some() {
                    self.rest_len -= 1;
                }
                g
            }
        }
    }

    #[inline]
    /// Whether no group is queued.
    pub fn is_empty(&self) -> bool {
        self.first.is_empty() && self.rest_len == 0
    }

    /// The groups queued, over every class \[groups\].
    pub fn len(&self) -> usize {
        self.first.len() + self.rest_len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn higher_class_first_fifo_within() {
        let mut q = ClassQueue::new(2);
        q.push_back(1, 10);
        q.push_back(0, 20);
        q.push_back(1, 11);
        q.push_back(0, 21);
        assert_eq!(q.front(), Some(20));
        let order: Vec<u32> = std::iter::from_fn(|| q.pop_front()).collect();
        assert_eq!(order, vec![20, 21, 10, 11]);
        assert!(q.is_empty());
        q.push_back(1, 5);
        q.push_front(1, 4);
        assert_eq!(q.len(), 2);
        assert_eq!(q.pop_front(), Some(4));
    }
}
