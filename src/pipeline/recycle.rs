//! Byte buffers handed back and forth between the pipeline's stages, so a
//! long input does not allocate (and the allocator map and fault in) two
//! fresh chunk-sized buffers per chunk.
//!
//! Every job carries a window (about a chunk plus context) and its worker
//! fills an output buffer of about a chunk. Both used to be allocated per
//! job and freed by the writer; at 1 MiB each they are above glibc's mmap
//! threshold or make it trim its heap, so every chunk paid for fresh
//! zeroed pages — about 570 page faults per chunk, 57,000 for 100 MB, a
//! fifth of the single-threaded run time. The writer now gives both back
//! here once a chunk is written, and the chunker and the workers take from
//! here first. At most [`Recycler::KEEP`] buffers are kept (the rest are
//! freed), so memory stays bounded by the chunks in flight.

use std::sync::Mutex;

/// A bounded stack of empty byte buffers, shared by the reader, the workers
/// and the writer of one pipeline run.
#[derive(Debug, Default)]
pub struct Recycler {
    free: Mutex<Vec<Vec<u8>>>,
}

impl Recycler {
    /// Most buffers kept for reuse: the jobs in flight of a two-core run
    /// (six) each hold a window and an output, plus one spare pair.
    pub const KEEP: usize = 14;

    /// An empty buffer, reused when one is free, with room for at least
    /// `capacity` bytes.
    pub fn take(&self, capacity: usize) -> Vec<u8> {
        let reused = self.free.lock().ok().and_then(|mut v| v.pop());
        match reused {
            Some(mut b) => {
                b.reserve(capacity);
                b
            }
            None => Vec::with_capacity(capacity),
        }
    }

    /// Gives `buf` back (emptied) for a later [`take`](Self::take); dropped
    /// when [`KEEP`](Self::KEEP) buffers are already kept or it holds no
    /// allocation.
    pub fn give(&self, mut buf: Vec<u8>) {
        if buf.capacity() == 0 {
            return;
        }
        buf.clear();
        if let Ok(mut v) = self.free.lock() {
            if v.len() < Self::KEEP {
                v.push(buf);
            }
        }
    }

    /// Buffers kept now (tests).
    #[cfg(test)]
    fn kept(&self) -> usize {
        self.free.lock().map(|v| v.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_buffer_comes_back_empty_with_its_allocation() {
        let r = Recycler::default();
        let mut b = r.take(1000);
        b.extend_from_slice(b"secret bytes");
        let ptr = b.as_ptr();
        r.give(b);
        let again = r.take(10);
        assert!(again.is_empty(), "a reused buffer must hold nothing");
        assert_eq!(again.as_ptr(), ptr, "the allocation is reused");
        assert!(again.capacity() >= 1000);
    }

    #[test]
    fn at_most_keep_buffers_are_kept() {
        let r = Recycler::default();
        for _ in 0..Recycler::KEEP + 5 {
            r.give(Vec::with_capacity(16));
        }
        assert_eq!(r.kept(), Recycler::KEEP);
        r.give(Vec::new());
        assert_eq!(r.kept(), Recycler::KEEP);
    }

    #[test]
    fn take_grows_a_small_reused_buffer() {
        let r = Recycler::default();
        r.give(Vec::with_capacity(8));
        assert!(r.take(4096).capacity() >= 4096);
    }
}
