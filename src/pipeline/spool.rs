//! Holds output back until the whole input has been masked, so that a failed
//! or blocked input writes nothing: in memory up to a limit, then in an
//! anonymous temporary file.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};

/// Bytes kept in memory before the spool moves to a temporary file.
pub const SPOOL_MEMORY_LIMIT: usize = 8 << 20;

/// An output buffer that spills to disk.
#[derive(Debug, Default)]
pub struct Spool {
    mem: Vec<u8>,
    file: Option<File>,
}

impl Spool {
    /// An empty spool.
    pub fn new() -> Spool {
        Spool::default()
    }

    /// Copies everything spooled to `w`.
    pub fn release<W: Write>(self, mut w: W) -> io::Result<()> {
        match self.file {
            None => w.write_all(&self.mem)?,
            Some(mut f) => {
                f.write_all(&self.mem)?;
                f.seek(SeekFrom::Start(0))?;
                io::copy(&mut f, &mut w)?;
            }
        }
        w.flush()
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.file.is_none() && self.mem.len() + buf.len() > SPOOL_MEMORY_LIMIT {
            let mut f = tempfile::tempfile()?;
            f.write_all(&self.mem)?;
            self.mem.clear();
            self.mem.shrink_to(1 << 20);
            self.file = Some(f);
        }
        match &mut self.file {
            Some(f) if self.mem.len() + buf.len() > (1 << 20) => {
                f.write_all(&self.mem)?;
                self.mem.clear();
                f.write_all(buf)?;
            }
            _ => self.mem.extend_from_slice(buf),
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spills_and_releases_everything_in_order() {
        let mut s = Spool::new();
        let piece: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
        for _ in 0..10 {
            s.write_all(&piece).unwrap();
        }
        assert!(s.file.is_some());
        let mut out = Vec::new();
        s.release(&mut out).unwrap();
        assert_eq!(out.len(), 10 << 20);
        assert!(out.chunks(1 << 20).all(|c| c == piece.as_slice()));
    }
}
