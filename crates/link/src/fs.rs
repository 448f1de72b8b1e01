//! The board's filesystem, reached by running small snippets in the raw REPL.
//!
//! The snippets are mpremote's (`tools/mpremote/mpremote/transport.py`), one exec round trip
//! each, so a board that mpremote can manage can be managed here, and Pyrite's boards are
//! tested with the same requests. Paths go into the code as Python `str` literals and file data
//! as `bytes` literals ([`crate::literal`]). An `OSError` on the board becomes
//! [`LinkError::Os`] with the board's errno.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::board::Board;
use crate::error::LinkError;
use crate::literal::{self, encode_bytes, encode_str, Value};
use crate::sha256;
use crate::transport::Transport;

/// The mode bit of a directory in `os.stat` and `os.ilistdir` results.
pub const S_IFDIR: i64 = 0x4000;

/// One entry of a directory listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The name within its directory.
    pub name: String,
    /// Whether it is a directory.
    pub is_dir: bool,
    /// Its size in bytes (0 when the board does not say, as for most directories).
    pub size: u64,
}

/// What `os.stat` says about a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    /// `st_mode`: [`S_IFDIR`] for a directory, 0x8000 for a file.
    pub mode: u32,
    /// `st_size` in bytes.
    pub size: u64,
    /// `st_mtime` in the board's epoch (0 where the filesystem keeps no times).
    pub mtime: i64,
}

impl Stat {
    /// Whether the path is a directory.
    pub fn is_dir(&self) -> bool {
        i64::from(self.mode) & S_IFDIR != 0
    }
}

fn unexpected(what: &str, value: &Value) -> LinkError {
    LinkError::Parse(format!("expected {what}, got {value:?}"))
}

impl<T: Transport> Board<T> {
    /// Lists a directory (`""` for the current one).
    pub async fn ls(&mut self, path: &str) -> Result<Vec<Entry>, LinkError> {
        let arg = if path.is_empty() {
            String::new()
        } else {
            encode_str(path)
        };
        let code = format!("import os\nfor f in os.ilistdir({arg}):\n print(repr(f), end=',')");
        let out = self
            .exec_checked(code.as_bytes())
            .await
            .map_err(|e| e.for_path(path))?;
        let mut list = Vec::with_capacity(out.len() + 2);
        list.push(b'[');
        list.extend_from_slice(&out);
        list.push(b']');
        let parsed = literal::parse(&list)?;
        let items = parsed
            .as_items()
            .ok_or_else(|| unexpected("a list", &parsed))?;
        items.iter().map(entry).collect()
    }

    /// `os.stat(path)`.
    pub async fn stat(&mut self, path: &str) -> Result<Stat, LinkError> {
        let result = async {
            self.exec_checked(b"import os").await?;
            self.eval(&format!("tuple(os.stat({}))", encode_str(path)))
                .await
        }
        .await;
        let value = result.map_err(|e| e.for_path(path))?;
        let field = |i: usize| {
            value
                .as_items()
                .and_then(|items| items.get(i))
                .and_then(Value::as_int)
                .ok_or_else(|| unexpected("an os.stat tuple", &value))
        };
        Ok(Stat {
            mode: u32::try_from(field(0)?).unwrap_or(0),
            size: u64::try_from(field(6)?).unwrap_or(0),
            mtime: field(8)?,
        })
    }

    /// The whole content of a file, read 256 bytes per round trip.
    pub async fn read_file(&mut self, path: &str) -> Result<Vec<u8>, LinkError> {
        let chunk = self.file_chunk;
        let result = async {
            let open = format!("f=open({},'rb')\nr=f.read", encode_str(path));
            self.exec_checked(open.as_bytes()).await?;
            let mut data = Vec::new();
            loop {
                let value = self.eval(&format!("r({chunk})")).await?;
                let bytes = value
                    .as_bytes()
                    .ok_or_else(|| unexpected("bytes", &value))?;
                if bytes.is_empty() {
                    break;
                }
                data.extend_from_slice(bytes);
            }
            self.exec_checked(b"f.close()").await?;
            Ok(data)
        }
        .await;
        result.map_err(|e: LinkError| e.for_path(path))
    }

    /// Creates or replaces a file with `data`, written 256 bytes per round trip.
    pub async fn write_file(&mut self, path: &str, data: &[u8]) -> Result<(), LinkError> {
        let chunk = self.file_chunk;
        let result = async {
            let open = format!("f=open({},'wb')\nw=f.write", encode_str(path));
            self.exec_checked(open.as_bytes()).await?;
            for part in data.chunks(chunk) {
                let code = format!("w({})", encode_bytes(part));
                self.exec_checked(code.as_bytes()).await?;
            }
            self.exec_checked(b"f.close()").await?;
            Ok(())
        }
        .await;
        result.map_err(|e: LinkError| e.for_path(path))
    }

    /// Removes a file.
    pub async fn rm(&mut self, path: &str) -> Result<(), LinkError> {
        self.path_op("import os\nos.remove({})", path).await
    }

    /// Creates a directory.
    pub async fn mkdir(&mut self, path: &str) -> Result<(), LinkError> {
        self.path_op("import os\nos.mkdir({})", path).await
    }

    /// Removes an empty directory.
    pub async fn rmdir(&mut self, path: &str) -> Result<(), LinkError> {
        self.path_op("import os\nos.rmdir({})", path).await
    }

    /// Creates an empty file if there is none (opens it for appending).
    pub async fn touch(&mut self, path: &str) -> Result<(), LinkError> {
        self.path_op("f=open({},'a')\nf.close()", path).await
    }

    /// The board's current directory.
    pub async fn getcwd(&mut self) -> Result<String, LinkError> {
        let out = self.exec_checked(b"import os;print(os.getcwd())").await?;
        let text = String::from_utf8_lossy(&out);
        Ok(String::from(text.trim_end_matches(['\r', '\n'])))
    }

    /// The SHA-256 of a file, computed by `hashlib` on the board, or on the host from the
    /// file's content if the board has no `hashlib.sha256`.
    pub async fn sha256(&mut self, path: &str) -> Result<[u8; 32], LinkError> {
        match self
            .exec_checked(b"import hashlib\nh = hashlib.sha256()")
            .await
        {
            Ok(_) => {}
            Err(LinkError::Exception { .. }) => {
                return Ok(sha256::digest(&self.read_file(path).await?));
            }
            Err(e) => return Err(e),
        }
        let chunk = self.file_chunk;
        let code = format!(
            "buf = memoryview(bytearray({chunk}))\nwith open({}, 'rb') as f:\n while True:\n  n = f.readinto(buf)\n  if n == 0:\n   break\n  h.update(buf if n == {chunk} else buf[:n])\n",
            encode_str(path)
        );
        let result = async {
            self.exec_checked(code.as_bytes()).await?;
            self.eval("h.digest()").await
        }
        .await;
        let value = result.map_err(|e| e.for_path(path))?;
        value
            .as_bytes()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| unexpected("a 32-byte digest", &value))
    }

    /// Runs `template` with its `{}` replaced by `path` as a `str` literal.
    async fn path_op(&mut self, template: &str, path: &str) -> Result<(), LinkError> {
        let code = template.replacen("{}", &encode_str(path), 1);
        self.exec_checked(code.as_bytes())
            .await
            .map(drop)
            .map_err(|e| e.for_path(path))
    }
}

/// An `os.ilistdir` tuple: `(name, type, inode[, size])`.
fn entry(value: &Value) -> Result<Entry, LinkError> {
    let items = value
        .as_items()
        .filter(|items| items.len() >= 3)
        .ok_or_else(|| unexpected("an ilistdir tuple", value))?;
    let name = match items.first() {
        Some(Value::Str(s)) => s.clone(),
        Some(Value::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
        _ => return Err(unexpected("a name", value)),
    };
    let mode = items
        .get(1)
        .and_then(Value::as_int)
        .ok_or_else(|| unexpected("a mode", value))?;
    let size = items.get(3).and_then(Value::as_int).unwrap_or(0);
    Ok(Entry {
        name,
        is_dir: mode & S_IFDIR != 0,
        size: u64::try_from(size).unwrap_or(0),
    })
}

#[cfg(test)]
mod tests;
