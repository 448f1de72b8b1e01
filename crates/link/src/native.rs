//! Native transports: TCP for the virtual board (`pyrite --board tcp:HOST:PORT`) and serial
//! ports or ptys for real boards and MicroPython's unix port.
//!
//! Both block inside their futures (so [`crate::block_on`] drives them) and bound every read by
//! its timeout. Their clock is [`std::time::Instant`].

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::string::ToString;
use std::time::{Duration, Instant};

use crate::error::LinkError;
use crate::transport::Transport;

fn io_error(e: &std::io::Error) -> LinkError {
    match e.kind() {
        ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::BrokenPipe
        | ErrorKind::UnexpectedEof => LinkError::Disconnected,
        _ => LinkError::Io(e.to_string()),
    }
}

fn millis_since(epoch: Instant) -> u64 {
    u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// How long a write may wait for a board that does not take data in.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// A board on a TCP socket, with Nagle's algorithm off so that small protocol messages (a
/// `\x04`, a window grant) go out at once.
pub struct TcpTransport {
    stream: TcpStream,
    read_timeout_ms: u32,
    epoch: Instant,
}

impl TcpTransport {
    /// Connects to `addr`, e.g. `"127.0.0.1:8266"`.
    pub fn connect(addr: impl ToSocketAddrs) -> Result<Self, LinkError> {
        let stream = TcpStream::connect(addr).map_err(|e| io_error(&e))?;
        Self::from_stream(stream)
    }

    /// Wraps a connected stream.
    pub fn from_stream(stream: TcpStream) -> Result<Self, LinkError> {
        stream.set_nodelay(true).map_err(|e| io_error(&e))?;
        stream.set_nonblocking(false).map_err(|e| io_error(&e))?;
        stream.set_read_timeout(None).map_err(|e| io_error(&e))?;
        stream
            .set_write_timeout(Some(WRITE_TIMEOUT))
            .map_err(|e| io_error(&e))?;
        Ok(TcpTransport {
            stream,
            read_timeout_ms: 0,
            epoch: Instant::now(),
        })
    }

    /// The socket.
    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }

    fn read_once(&mut self, buf: &mut [u8], timeout_ms: u32) -> std::io::Result<usize> {
        if timeout_ms == 0 {
            self.stream.set_nonblocking(true)?;
            let r = self.stream.read(buf);
            self.stream.set_nonblocking(false)?;
            return r;
        }
        if self.read_timeout_ms != timeout_ms {
            let d = Duration::from_millis(u64::from(timeout_ms));
            self.stream.set_read_timeout(Some(d))?;
            self.read_timeout_ms = timeout_ms;
        }
        self.stream.read(buf)
    }
}

/// Maps a read's outcome onto the [`Transport::read`] contract.
fn finish_read(r: std::io::Result<usize>) -> Result<usize, LinkError> {
    match r {
        Ok(0) => Err(LinkError::Disconnected),
        Ok(n) => Ok(n),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Ok(0),
        Err(e) => Err(io_error(&e)),
    }
}

impl Transport for TcpTransport {
    async fn write(&mut self, data: &[u8]) -> Result<(), LinkError> {
        match self.stream.write_all(data) {
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                Err(LinkError::Timeout {
                    waiting_for: "the board to take data in",
                    received: std::vec::Vec::new(),
                })
            }
            r => r.map_err(|e| io_error(&e)),
        }
    }

    async fn read(&mut self, buf: &mut [u8], timeout_ms: u32) -> Result<usize, LinkError> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.read_once(buf, timeout_ms) {
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                r => return finish_read(r),
            }
        }
    }

    fn now_ms(&mut self) -> Option<u64> {
        Some(millis_since(self.epoch))
    }
}

#[cfg(unix)]
pub use serial::SerialFile;

#[cfg(unix)]
mod serial {
    use std::fs::{File, OpenOptions};
    use std::io::{Read, Write};
    use std::path::Path;
    use std::time::Instant;

    use rustix::event::{poll, PollFd, PollFlags, Timespec};
    use rustix::termios::{tcgetattr, tcsetattr, OptionalActions};

    use super::{finish_read, io_error, millis_since};
    use crate::error::LinkError;
    use crate::transport::Transport;

    /// A board on a serial port (`/dev/ttyACM0`), a pty, or any readable and writable file.
    pub struct SerialFile {
        file: File,
        epoch: Instant,
    }

    impl SerialFile {
        /// Opens a serial device and puts it in raw mode (8 data bits, no echo, no line
        /// editing, no CR/LF translation), at `baud` if given. A path that is not a terminal is
        /// used as it is.
        pub fn open(path: impl AsRef<Path>, baud: Option<u32>) -> Result<Self, LinkError> {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .open(path)
                .map_err(|e| io_error(&e))?;
            if let Ok(mut termios) = tcgetattr(&file) {
                termios.make_raw();
                if let Some(baud) = baud {
                    termios
                        .set_speed(baud)
                        .map_err(|e| LinkError::Io(std::format!("baud rate {baud}: {e}")))?;
                }
                tcsetattr(&file, OptionalActions::Now, &termios)
                    .map_err(|e| LinkError::Io(std::format!("configuring the port: {e}")))?;
            }
            Ok(Self::from_file(file))
        }

        /// Wraps an open file (e.g. a pty master) without changing its settings.
        pub fn from_file(file: File) -> Self {
            SerialFile {
                file,
                epoch: Instant::now(),
            }
        }
    }

    impl Transport for SerialFile {
        async fn write(&mut self, data: &[u8]) -> Result<(), LinkError> {
            self.file.write_all(data).map_err(|e| io_error(&e))?;
            self.file.flush().map_err(|e| io_error(&e))
        }

        async fn read(&mut self, buf: &mut [u8], timeout_ms: u32) -> Result<usize, LinkError> {
            if buf.is_empty() {
                return Ok(0);
            }
            let timeout = Timespec {
                tv_sec: i64::from(timeout_ms / 1000),
                tv_nsec: i64::from(timeout_ms % 1000) * 1_000_000,
            };
            let ready = loop {
                let mut fds = [PollFd::new(&self.file, PollFlags::IN)];
                match poll(&mut fds, Some(&timeout)) {
                    Ok(n) => break n > 0,
                    Err(rustix::io::Errno::INTR) => continue,
                    Err(e) => return Err(LinkError::Io(std::format!("poll: {e}"))),
                }
            };
            if !ready {
                return Ok(0);
            }
            match self.file.read(buf) {
                // A pty master reads EIO once the other side has closed.
                Err(e) if e.raw_os_error() == Some(rustix::io::Errno::IO.raw_os_error()) => {
                    Err(LinkError::Disconnected)
                }
                r => finish_read(r),
            }
        }

        fn now_ms(&mut self) -> Option<u64> {
            Some(millis_since(self.epoch))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block_on;
    use std::net::TcpListener;

    #[test]
    fn tcp_read_contract() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let mut t = TcpTransport::connect(addr).unwrap();
        let (mut peer, _) = listener.accept().unwrap();
        let mut buf = [0u8; 16];
        // Nothing sent: a poll and a short wait both time out.
        assert_eq!(block_on(t.read(&mut buf, 0)).unwrap(), 0);
        let start = Instant::now();
        assert_eq!(block_on(t.read(&mut buf, 50)).unwrap(), 0);
        assert!(start.elapsed() >= Duration::from_millis(40));
        // Data both ways.
        block_on(t.write(b"ping")).unwrap();
        let mut got = [0u8; 4];
        peer.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"ping");
        peer.write_all(b"pong").unwrap();
        let mut n = 0;
        while n < 4 {
            n += block_on(t.read(&mut buf[n..], 1000)).unwrap();
        }
        assert_eq!(&buf[..4], b"pong");
        // The peer hangs up: that is not a timeout.
        drop(peer);
        assert_eq!(
            block_on(t.read(&mut buf, 1000)),
            Err(LinkError::Disconnected)
        );
        assert!(t.now_ms().is_some());
    }
}
