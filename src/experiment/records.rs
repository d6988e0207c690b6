//! The finished replications of a run, in index order ([`Replications`]): held in memory, or
//! spilled record by record to an unnamed temporary file as they finish ([`Spill`]), so that a
//! run's memory does not grow with its number of replications while every STAT percentile of
//! MODEL.md §3 stays exact (each STAT is read back as one column when the summary is made).
//!
//! A spilled record is a fixed number of 64-bit words (numbers as their exact bits), so record
//! k sits at a known offset and replications can be written in the order they finish. Only the
//! records a run keeps are spilled: their daily series already folded into the bands and
//! dropped, no trace. A spill is refused, before anything is written, when the temporary
//! directory has not the room for all of its records ([`can_spill`]).

use crate::model::{ClassMetrics, PortMetrics, ReplicationResult, StageMetrics};
use crate::scenario::Scenario;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};

/// Records read from the file in one go \[records\].
const CHUNK: usize = 256;

/// Finished replications, in index order, in memory or in a temporary file.
#[derive(Debug, Clone)]
pub struct Replications {
    inner: Inner,
}

#[derive(Debug, Clone)]
enum Inner {
    Memory(Vec<ReplicationResult>),
    Disk(Arc<Disk>),
}

/// A finished spill: the file and, per replication in order, the slot holding its record.
#[derive(Debug)]
struct Disk {
    file: Mutex<File>,
    shape: Shape,
    slots: Vec<u32>,
}

/// The number of ports and classes, which fixes a record's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    ports: usize,
    classes: usize,
}

impl Shape {
    fn of(scn: &Scenario) -> Shape {
        Shape {
            ports: scn.ports.len(),
            classes: scn.classes.len(),
        }
    }

    /// 64-bit words per record.
    fn words(self) -> usize {
        HEAD_WORDS + 3 * STAGE_WORDS + self.ports * PORT_WORDS + self.classes * CLASS_WORDS
    }

    fn bytes(self) -> usize {
        self.words() * 8
    }

    fn fits(self, r: &ReplicationResult) -> bool {
        r.ports.len() == self.ports
            && r.classes.len() == self.classes
            && r.daily.is_empty()
            && r.trace.is_empty()
    }
}

const HEAD_WORDS: usize = 9 + 2 + 3 * 2 + 4;
const STAGE_WORDS: usize = 2 * 2 + 1;
const PORT_WORDS: usize = 1 + 2 * 2 + 1 + 1 + 2;
const CLASS_WORDS: usize = 3 + 2;

/// Writes words into a record's buffer.
struct Enc<'a>(&'a mut Vec<u64>);

impl Enc<'_> {
    fn u(&mut self, v: u64) {
        self.0.push(v);
    }
    fn f(&mut self, v: f64) {
        self.0.push(v.to_bits());
    }
    fn o(&mut self, v: Option<f64>) {
        self.0.push(v.is_some() as u64);
        self.0.push(v.map_or(0, f64::to_bits));
    }
    fn stage(&mut self, s: &StageMetrics) {
        let StageMetrics {
            wait_days,
            utilization,
            waits_counted,
        } = s;
        self.o(*wait_days);
        self.o(*utilization);
        self.u(*waits_counted);
    }
}

/// Reads words back, in the order [`Enc`] wrote them.
struct Dec<'a>(std::slice::Iter<'a, u64>);

impl Dec<'_> {
    fn u(&mut self) -> u64 {
        self.0.next().copied().unwrap_or(0)
    }
    fn f(&mut self) -> f64 {
        f64::from_bits(self.u())
    }
    fn o(&mut self) -> Option<f64> {
        let some = self.u() != 0;
        let v = self.f();
        some.then_some(v)
    }
    fn stage(&mut self) -> StageMetrics {
        StageMetrics {
            wait_days: self.o(),
            utilization: self.o(),
            waits_counted: self.u(),
        }
    }
}

/// Append the words of `r` (which must fit the shape) to `out`. Every field is named, so a field
/// added to the result types does not compile until it is stored here too.
fn encode(r: &ReplicationResult, out: &mut Vec<u64>) {
    let ReplicationResult {
        index,
        seed,
        people_total,
        processed,
        dropped,
        unreached,
        in_system,
        inflow,
        inflow_processed,
        clearance_days,
        censored,
        t50_days,
        t90_days,
        t99_days,
        screening,
        transport,
        port,
        ports,
        classes,
        seats_offered,
        seats_filled,
        end_days,
        events,
        daily: _,
        trace: _,
    } = r;
    let mut e = Enc(out);
    for v in [
        *index as u64,
        *seed,
        *people_total,
        *processed,
        *dropped,
        *unreached,
        *in_system,
        *inflow,
        *inflow_processed,
    ] {
        e.u(v);
    }
    e.f(*clearance_days);
    e.u(*censored as u64);
    e.o(*t50_days);
    e.o(*t90_days);
    e.o(*t99_days);
    e.u(*seats_offered);
    e.u(*seats_filled);
    e.f(*end_days);
    e.u(*events);
    e.stage(screening);
    e.stage(transport);
    e.stage(port);
    for p in ports {
        let PortMetrics {
            processed,
            wait_days,
            utilization,
            waits_counted,
            busy_server_days,
            offered_server_days,
        } = p;
        e.u(*processed);
        e.o(*wait_days);
        e.o(*utilization);
        e.u(*waits_counted);
        e.f(*busy_server_days);
        e.o(*offered_server_days);
    }
    for c in classes {
        let ClassMetrics {
            people,
            processed,
            clearance_days,
            days_to_processed,
        } = c;
        e.u(*people);
        e.u(*processed);
        e.f(*clearance_days);
        e.o(*days_to_processed);
    }
}

/// The record of `words`, written by [`encode`] for this shape.
fn decode(words: &[u64], shape: Shape) -> ReplicationResult {
    let mut d = Dec(words.iter());
    let index = d.u() as u32;
    let seed = d.u();
    let people_total = d.u();
    let processed = d.u();
    let dropped = d.u();
    let unreached = d.u();
    let in_system = d.u();
    let inflow = d.u();
    let inflow_processed = d.u();
    let clearance_days = d.f();
    let censored = d.u() != 0;
    let t50_days = d.o();
    let t90_days = d.o();
    let t99_days = d.o();
    let seats_offered = d.u();
    let seats_filled = d.u();
    let end_days = d.f();
    let events = d.u();
    let screening = d.stage();
    let transport = d.stage();
    let port = d.stage();
    let ports = (0..shape.ports)
        .map(|_| PortMetrics {
            processed: d.u(),
            wait_days: d.o(),
            utilization: d.o(),
            waits_counted: d.u(),
            busy_server_days: d.f(),
            offered_server_days: d.o(),
        })
        .collect();
    let classes = (0..shape.classes)
        .map(|_| ClassMetrics {
            people: d.u(),
            processed: d.u(),
            clearance_days: d.f(),
            days_to_processed: d.o(),
        })
        .collect();
    ReplicationResult {
        index,
        seed,
        people_total,
        processed,
        dropped,
        unreached,
        in_system,
        inflow,
        inflow_processed,
        clearance_days,
        censored,
        t50_days,
        t90_days,
        t99_days,
        screening,
        transport,
        port,
        ports,
        classes,
        seats_offered,
        seats_filled,
        end_days,
        events,
        daily: Default::default(),
        trace: Vec::new(),
    }
}

/// Call `f` on the records in `slots` (ascending) of a spill file, reading each run of
/// consecutive slots in chunks of up to [`CHUNK`] records; the file is locked per chunk only,
/// so `f` may read other records.
fn each_in_slots<E: From<io::Error>>(
    slots: &[u32],
    shape: Shape,
    file: &Mutex<File>,
    mut f: impl FnMut(&ReplicationResult) -> Result<(), E>,
) -> Result<(), E> {
    let rec = shape.words();
    let mut bytes = vec![0u8; rec * 8 * CHUNK.min(slots.len())];
    let mut words: Vec<u64> = Vec::with_capacity(rec * CHUNK.min(slots.len()));
    let mut k = 0;
    while k < slots.len() {
        // The longest run of consecutive slots from k, read in one go.
        let first = slots[k] as usize;
        let mut n = 1;
        while n < CHUNK && k + n < slots.len() && slots[k + n] as usize == first + n {
            n += 1;
        }
        let buf = &mut bytes[..n * rec * 8];
        {
            let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
            file.seek(SeekFrom::Start((first * rec * 8) as u64))?;
            file.read_exact(buf)?;
        }
        words.clear();
        words.extend(
            buf.chunks_exact(8)
                .map(|b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8]))),
        );
        for w in words.chunks_exact(rec) {
            f(&decode(w, shape))?;
        }
        k += n;
    }
    Ok(())
}

fn unfit() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "a replication record does not fit the spill (other ports or classes, or a daily series)",
    )
}

impl Default for Replications {
    fn default() -> Self {
        Replications::from(Vec::new())
    }
}

impl From<Vec<ReplicationResult>> for Replications {
    fn from(v: Vec<ReplicationResult>) -> Self {
        Replications {
            inner: Inner::Memory(v),
        }
    }
}

impl PartialEq for Replications {
    /// Equal when both hold the same records in the same order (a record that cannot be read
    /// back makes them unequal).
    fn eq(&self, other: &Self) -> bool {
        match (self.to_vec(), other.to_vec()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

impl Replications {
    /// Replications held \[replications\].
    pub fn len(&self) -> usize {
        match &self.inner {
            Inner::Memory(v) => v.len(),
            Inner::Disk(d) => d.slots.len(),
        }
    }

    /// Whether no replication is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when the records are in a temporary file rather than in memory.
    pub fn is_spilled(&self) -> bool {
        matches!(self.inner, Inner::Disk(_))
    }

    /// The records, when they are in memory.
    pub fn as_slice(&self) -> Option<&[ReplicationResult]> {
        match &self.inner {
            Inner::Memory(v) => Some(v),
            Inner::Disk(_) => None,
        }
    }

    /// Call `f` on every record in index order; stops at the first error.
    pub fn try_for_each<E: From<io::Error>>(
        &self,
        f: impl FnMut(&ReplicationResult) -> Result<(), E>,
    ) -> Result<(), E> {
        match &self.inner {
            Inner::Memory(v) => v.iter().try_for_each(f),
            Inner::Disk(d) => each_in_slots(&d.slots, d.shape, &d.file, f),
        }
    }

    /// One value per record, in index order.
    pub fn column<T>(&self, f: impl FnMut(&ReplicationResult) -> T) -> io::Result<Vec<T>> {
        self.values(f)
    }

    /// Every record, in index order, in memory.
    pub fn to_vec(&self) -> io::Result<Vec<ReplicationResult>> {
        match &self.inner {
            Inner::Memory(v) => Ok(v.clone()),
            Inner::Disk(_) => self.column(|r| r.clone()),
        }
    }

    /// The records, in memory (without a copy when they already are).
    pub fn into_vec(self) -> io::Result<Vec<ReplicationResult>> {
        match self.inner {
            Inner::Memory(v) => Ok(v),
            Inner::Disk(_) => self.to_vec(),
        }
    }

    /// Drop every record's daily series and trace (records in memory only: spilled ones have
    /// none).
    pub fn drop_series(&mut self) {
        if let Inner::Memory(v) = &mut self.inner {
            for r in v {
                r.daily = Default::default();
                r.trace = Vec::new();
            }
        }
    }
}

/// Environment variable that overrides the free space of the temporary directory [bytes, or
/// with a K/M/G/T suffix] (used by tests and by users whose temporary space is shared).
pub const TEMP_SPACE_ENV: &str = "CLEARANCE_TEMP_SPACE";

/// The free space of the temporary directory (`TMPDIR`) \[bytes\], and what the number is;
/// `None` when unknown.
pub fn temp_space() -> Option<(f64, String)> {
    if let Ok(v) = std::env::var(TEMP_SPACE_ENV) {
        if let Some(b) = crate::bytes::parse_bytes(&v) {
            return Some((b, format!("{TEMP_SPACE_ENV}={v}")));
        }
    }
    let dir = std::env::temp_dir();
    let st = rustix::fs::statvfs(&dir).ok()?;
    let free = st.f_bavail as f64 * st.f_frsize as f64;
    Some((free, format!("the temporary directory {}", dir.display())))
}

/// Whether spills of `slots` records of each of `points` can be made now: temporary files can
/// be created, and the temporary directory has room for every record. The error says why not.
pub fn can_spill(points: &[&Scenario], slots: usize) -> io::Result<()> {
    Spill::per_point(points, slots).map(drop)
}

/// Refuse spills of `records` records taking `need` bytes in all that would not fit in the
/// temporary directory's free space, before anything is run, rather than fail when the disk
/// fills half-way.
fn check_room(need: f64, records: usize) -> io::Result<()> {
    match temp_space() {
        Some((free, what)) if need > free => Err(io::Error::new(
            io::ErrorKind::StorageFull,
            format!(
                "the records of {records} replications need {} of temporary space but only {} \
                 is free ({what})",
                crate::bytes::human_bytes(need),
                crate::bytes::human_bytes(free)
            ),
        )),
        _ => Ok(()),
    }
}

/// A spill being written: records go to their slot as replications finish, in any order, from
/// any thread.
#[derive(Debug)]
pub struct Spill {
    state: Mutex<SpillState>,
    file: Mutex<File>,
    shape: Shape,
}

#[derive(Debug)]
struct SpillState {
    /// Which slots hold a record.
    filled: Vec<bool>,
    /// The first write error; later records are not written.
    error: Option<io::Error>,
    words: Vec<u64>,
    bytes: Vec<u8>,
}

impl Spill {
    /// A spill for `slots` records of `scn`'s shape, in a new unnamed temporary file (removed
    /// when the last handle on it is dropped).
    pub fn new(scn: &Scenario, slots: usize) -> io::Result<Spill> {
        Ok(Spill::per_point(&[scn], slots)?.swap_remove(0))
    }

    /// One spill of `slots` records per scenario of `points` (a sweep's points), once the
    /// temporary directory is known to have room for them all.
    pub fn per_point(points: &[&Scenario], slots: usize) -> io::Result<Vec<Spill>> {
        let shapes: Vec<Shape> = points.iter().map(|s| Shape::of(s)).collect();
        let need: f64 = shapes.iter().map(|s| s.bytes() as f64 * slots as f64).sum();
        check_room(need, slots * points.len())?;
        shapes
            .into_iter()
            .map(|shape| Spill::with_shape(shape, slots))
            .collect()
    }

    fn with_shape(shape: Shape, slots: usize) -> io::Result<Spill> {
        let file = tempfile::tempfile().map_err(|e| {
            let dir = std::env::temp_dir();
            io::Error::new(
                e.kind(),
                format!("cannot create one in {}: {e}", dir.display()),
            )
        })?;
        Ok(Spill {
            file: Mutex::new(file),
            state: Mutex::new(SpillState {
                filled: vec![false; slots],
                error: None,
                words: Vec::with_capacity(shape.words()),
                bytes: Vec::with_capacity(shape.bytes()),
            }),
            shape,
        })
    }

    /// Write `r` into `slot` (< the slots given to [`Spill::new`]).
    pub fn put(&self, slot: usize, r: &ReplicationResult) {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if st.error.is_some() {
            return;
        }
        let res = (|| {
            if !self.shape.fits(r) || slot >= st.filled.len() {
                return Err(unfit());
            }
            let SpillState { words, bytes, .. } = &mut *st;
            words.clear();
            encode(r, words);
            if words.len() != self.shape.words() {
                return Err(unfit());
            }
            bytes.clear();
            bytes.extend(words.iter().flat_map(|w| w.to_le_bytes()));
            let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
            file.seek(SeekFrom::Start((slot * self.shape.bytes()) as u64))?;
            file.write_all(bytes)
        })();
        match res {
            Ok(()) => st.filled[slot] = true,
            Err(e) => st.error = Some(e),
        }
    }

    /// Call `f` on the records written so far into `slots`, in slot order (while no other
    /// thread writes); a write error so far is returned here.
    pub fn each_in<E: From<io::Error>>(
        &self,
        slots: std::ops::Range<usize>,
        f: impl FnMut(&ReplicationResult) -> Result<(), E>,
    ) -> Result<(), E> {
        let filled = {
            let st = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(e) = &st.error {
                return Err(io::Error::new(e.kind(), e.to_string()).into());
            }
            filled_slots(&st.filled, slots)
        };
        each_in_slots(&filled, self.shape, &self.file, f)
    }

    /// How many slots of `slots` hold a record.
    pub fn filled_in(&self, slots: std::ops::Range<usize>) -> usize {
        let st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let end = slots.end.min(st.filled.len());
        st.filled[slots.start.min(end)..end]
            .iter()
            .filter(|&&f| f)
            .count()
    }

    /// The records written, in slot order (slots never written are left out).
    pub fn finish(self) -> io::Result<Replications> {
        let st = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = st.error {
            return Err(e);
        }
        Ok(Replications {
            inner: Inner::Disk(Arc::new(Disk {
                slots: filled_slots(&st.filled, 0..st.filled.len()),
                file: self.file,
                shape: self.shape,
            })),
        })
    }
}

/// The slots of `range` that hold a record.
fn filled_slots(filled: &[bool], range: std::ops::Range<usize>) -> Vec<u32> {
    let end = range.end.min(filled.len());
    let start = range.start.min(end);
    (start..end)
        .filter(|&i| filled[i])
        .map(|i| i as u32)
        .collect()
}

/// Records of a run: `[ReplicationResult]` in memory, or [`Replications`].
pub trait Records {
    /// Replications held \[replications\].
    fn count(&self) -> usize;
    /// Call `f` on every record in index order; stops at the first error.
    fn each<E: From<io::Error>>(
        &self,
        f: impl FnMut(&ReplicationResult) -> Result<(), E>,
    ) -> Result<(), E>;
    /// One value per record, in index order.
    fn values<T>(&self, mut f: impl FnMut(&ReplicationResult) -> T) -> io::Result<Vec<T>> {
        self.values_some(|r| Some(f(r)))
    }
    /// The values of the records that have one, in index order.
    fn values_some<T>(
        &self,
        mut f: impl FnMut(&ReplicationResult) -> Option<T>,
    ) -> io::Result<Vec<T>> {
        let mut v = Vec::with_capacity(self.count());
        self.each(|r| {
            v.extend(f(r));
            Ok::<(), io::Error>(())
        })?;
        Ok(v)
    }
}

impl Records for [ReplicationResult] {
    fn count(&self) -> usize {
        self.len()
    }
    fn each<E: From<io::Error>>(
        &self,
        f: impl FnMut(&ReplicationResult) -> Result<(), E>,
    ) -> Result<(), E> {
        self.iter().try_for_each(f)
    }
}

impl Records for Replications {
    fn count(&self) -> usize {
        self.len()
    }
    fn each<E: From<io::Error>>(
        &self,
        f: impl FnMut(&ReplicationResult) -> Result<(), E>,
    ) -> Result<(), E> {
        self.try_for_each(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Daily;

    const SHAPE: Shape = Shape {
        ports: 3,
        classes: 2,
    };

    /// A record whose every number differs from every other (so that two fields swapped in the
    /// codec show), with some awkward floats and both kinds of `None`.
    fn record(k: u64) -> ReplicationResult {
        let mut n = k * 1000;
        let mut next = || {
            n += 1;
            n
        };
        let mut f = || next() as f64 + 0.25;
        let odd = k % 2 == 1;
        let stage = |f: &mut dyn FnMut() -> f64, n: u64| StageMetrics {
            wait_days: (!odd).then(&mut *f),
            utilization: Some(f()),
            waits_counted: n,
        };
        let screening = stage(&mut f, k + 1);
        let transport = stage(&mut f, k + 2);
        let port = stage(&mut f, k + 3);
        ReplicationResult {
            index: k as u32,
            seed: u64::MAX - k,
            people_total: next(),
            processed: next(),
            dropped: next(),
            unreached: next(),
            in_system: next(),
            inflow: next(),
            inflow_processed: next(),
            clearance_days: if odd { -0.0 } else { f64::INFINITY },
            censored: odd,
            t50_days: Some(1e-300),
            t90_days: odd.then_some(0.0),
            t99_days: None,
            screening,
            transport,
            port,
            ports: (0..SHAPE.ports)
                .map(|p| PortMetrics {
                    processed: next() + p as u64,
                    wait_days: Some(f64::MIN_POSITIVE),
                    utilization: odd.then_some(f64::MAX),
                    waits_counted: next(),
                    busy_server_days: 123.456 + k as f64,
                    offered_server_days: (!odd).then_some(-1.5),
                })
                .collect(),
            classes: (0..SHAPE.classes)
                .map(|c| ClassMetrics {
                    people: next() + c as u64,
                    processed: next(),
                    clearance_days: 7.0 / (k as f64 + 3.0),
                    days_to_processed: odd.then_some(f64::EPSILON),
                })
                .collect(),
            seats_offered: next(),
            seats_filled: next(),
            end_days: 1.0 / 3.0 + k as f64,
            events: next(),
            daily: Daily::default(),
            trace: Vec::new(),
        }
    }

    /// Exact equality, bit for bit (`-0.0` is not `0.0` here).
    fn same(a: &ReplicationResult, b: &ReplicationResult) -> bool {
        format!("{a:?}") == format!("{b:?}") && a == b
    }

    #[test]
    fn a_record_reads_back_bit_for_bit() {
        for k in 0..4 {
            let r = record(k);
            let mut w = Vec::new();
            encode(&r, &mut w);
            assert_eq!(w.len(), SHAPE.words());
            let back = decode(&w, SHAPE);
            assert!(same(&r, &back), "{r:?}\n{back:?}");
            assert_eq!(back.clearance_days.to_bits(), r.clearance_days.to_bits());
        }
    }

    /// Records written out of order, from several threads, with slots left empty (replications
    /// skipped after an interruption), come back in slot order without the empty ones, across
    /// the boundaries of the chunks they are read in.
    #[test]
    fn records_come_back_in_slot_order_without_holes() {
        let n = 3 * CHUNK + 17;
        let spill = Spill::with_shape(SHAPE, n).unwrap();
        let hole = |k: usize| k % 7 == 3 || (CHUNK - 2..CHUNK + 2).contains(&k);
        let order: Vec<usize> = (0..n).rev().filter(|&k| !hole(k)).collect();
        std::thread::scope(|s| {
            for part in order.chunks(n / 3) {
                let spill = &spill;
                s.spawn(move || {
                    for &k in part {
                        spill.put(k, &record(k as u64));
                    }
                });
            }
        });
        let reps = spill.finish().unwrap();
        assert!(reps.is_spilled());
        let want: Vec<usize> = (0..n).filter(|&k| !hole(k)).collect();
        assert_eq!(reps.len(), want.len());
        let got = reps.to_vec().unwrap();
        for (r, &k) in got.iter().zip(&want) {
            assert!(same(r, &record(k as u64)), "slot {k}");
        }
        assert_eq!(
            reps.column(|r| r.index as usize).unwrap(),
            want,
            "index column"
        );
        // A clone shares the file and reads the same records.
        assert_eq!(reps.clone(), reps);
        assert_eq!(reps, Replications::from(got));
    }

    #[test]
    fn a_record_that_does_not_fit_is_an_error_not_a_wrong_record() {
        let with_series = |mut r: ReplicationResult| {
            r.daily = Daily {
                n_series: 1,
                values: vec![1],
            };
            r
        };
        let fewer_ports = |mut r: ReplicationResult| {
            r.ports.pop();
            r
        };
        for bad in [with_series(record(1)), fewer_ports(record(1))] {
            let spill = Spill::with_shape(SHAPE, 2).unwrap();
            spill.put(0, &record(0));
            spill.put(1, &bad);
            let err = spill.finish().unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        }
        let spill = Spill::with_shape(SHAPE, 1).unwrap();
        spill.put(1, &record(1));
        assert!(spill.finish().is_err(), "a slot past the end");
    }
}
