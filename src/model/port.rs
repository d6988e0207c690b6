//! Ports of entry: a strict-FIFO queue per port, servers, service times, opening hours and days,
//! the daily quota with its ramp (enforced at service start under `fifo`, reserved at boarding
//! under `appointment`), and the holding limit. Owns each port's queue and measurements.

use super::capacity::{self, Factor, OpenSpan, UNLIMITED};
use super::queue::ClassQueue;
use super::WaitAcc;
use crate::scenario::{Policy, Port, Scenario};

/// One port's state during a replication: its queue, servers in use, quota used or reserved, and
/// measurements.
pub struct PortState {
    /// The product of the disruption factors on this port's quota and servers, over time.
    pub factor: Factor,
    /// Group ids waiting, by class then FIFO by arrival.
    pub queue: ClassQueue,
    /// People queued, not in service \[people\].
    pub waiting_people: u64,
    /// People boarded toward this port, not yet arrived \[people\].
    pub transit_people: u64,
    /// Groups in service \[groups\].
    pub busy: u64,
    /// Day of `used` and the people whose service started that day (fifo quota).
    pub used_day: i64,
    /// People whose service started on `used_day` \[people\].
    pub used: u64,
    /// Day of `reserved` and the people booked for that day (appointment quota).
    pub reserved_day: i64,
    /// People booked for `reserved_day` \[people\].
    pub reserved: u64,
    /// Pending wake-up time (infinity when none).
    pub wake_at: f64,
    /// The open span of the last try to start service, with the servers and (fifo) quota in
    /// force throughout it: tries inside it skip the schedule.
    pub span: OpenSpan,
    /// Servers in force throughout `span` \[servers\].
    pub span_servers: u64,
    /// The quota of `span`'s day \[people\] (fifo; unlimited under `appointment`).
    pub span_quota: u64,
    /// Completed busy server time \[server-days\].
    pub busy_time: f64,
    /// Sum of start times of services in progress \[days\].
    pub inprog_start_sum: f64,
    /// Waits from arrival in the queue to service start of counted groups \[days\].
    pub wait: WaitAcc,
    /// Everyone processed here \[people\].
    pub processed: u64,
    /// Processed since the last daily snapshot \[people\].
    pub processed_today: u64,
}

impl PortState {
    /// The state at t = 0 of the port at `index` in the scenario: empty, nothing used.
    pub fn new(scn: &Scenario, index: usize) -> Self {
        PortState {
            factor: Factor::new(scn.disruptions.iter().filter(|d| d.ports.contains(&index))),
            queue: ClassQueue::new(scn.classes.len()),
            waiting_people: 0,
            transit_people: 0,
            busy: 0,
            used_day: i64::MIN,
            used: 0,
            reserved_day: i64::MIN,
            reserved: 0,
            wake_at: f64::INFINITY,
            span: OpenSpan::EMPTY,
            span_servers: 0,
            span_quota: 0,
            busy_time: 0.0,
            inprog_start_sum: 0.0,
            wait: WaitAcc::default(),
            processed: 0,
            processed_today: 0,
        }
    }

    /// Quota of day d under the factor in force at t \[people\].
    #[inline]
    pub fn quota(&self, port: &Port, d: i64, t: f64) -> u64 {
        capacity::quota(port, d, self.factor.at(t))
    }

    /// The servers, the day and the quota (fifo; unlimited under `appointment`, where it was
    /// reserved at boarding) for a start at t, or `None` when the port is closed at t. They
    /// hold throughout the open span they were decided in, which later tries reuse.
    #[inline]
    pub fn open_limits(&mut self, port: &Port, fifo: bool, t: f64) -> Option<(u64, i64, u64)> {
        if !self.span.holds(t) {
            self.span = OpenSpan::starting_at(&port.schedule, &self.factor, t)?;
            self.span_servers = capacity::servers_at(port.servers, self.span.factor);
            self.span_quota = if fifo {
                capacity::quota(port, self.span.day, self.span.factor)
            } else {
                UNLIMITED
            };
        }
        Some((self.span_servers, self.span.day, self.span_quota))
    }

    /// People started on day d so far (fifo) \[people\].
    #[inline]
    pub fn used_on(&self, d: i64) -> u64 {
        if self.used_day == d {
            self.used
        } else {
            0
        }
    }

    /// People booked for day d so far (appointment) \[people\].
    #[inline]
    pub fn reserved_on(&self, d: i64) -> u64 {
        if self.reserved_day == d {
            self.reserved
        } else {
            0
        }
    }

    /// Book `people` against day `d`'s quota (appointment) \[people\].
    pub fn reserve(&mut self, d: i64, people: u64) {
        if self.reserved_day != d {
            self.reserved_day = d;
            self.reserved = 0;
        }
        self.reserved += people;
    }

    /// Count `people` whose service starts on day `d` against its quota (fifo) \[people\].
    pub fn use_quota(&mut self, d: i64, people: u64) {
        if self.used_day != d {
            self.used_day = d;
            self.used = 0;
        }
        self.used += people;
    }

    /// How many more people may board toward this port on day d at time t \[people\]:
    /// the holding room, and under `appointment` the unreserved quota.
    #[inline]
    pub fn room(&self, port: &Port, policy: Policy, d: i64, t: f64) -> u64 {
        let mut room = UNLIMITED;
        if let Some(h) = port.holding {
            room = h.saturating_sub(self.waiting_people + self.transit_people);
        }
        if policy == Policy::Appointment {
            let q = self.quota(port, d, t);
            room = room.min(q.saturating_sub(self.reserved_on(d)));
        }
        room
    }

    #[inline]
    /// A service that started at `start` ends at `t` \[days\]: frees its server and adds its busy
    /// time.
    pub fn release(&mut self, start: f64, t: f64) {
        self.busy -= 1;
        self.busy_time += t - start;
        self.inprog_start_sum -= start;
    }

    /// (busy, offered) server time up to t_end \[server-days\]; offered is None when unlimited.
    pub fn server_time(&self, port: &Port, t_end: f64) -> (f64, Option<f64>) {
        let busy = self.busy_time + self.busy as f64 * t_end - self.inprog_start_sum;
        let offered = capacity::offered_server_time(
            port.servers,
            &port.schedule,
            &self.factor,
            port.opens,
            t_end,
        );
        (busy, offered)
    }
}
