//! SHA-256 on the host, for boards whose firmware has no `hashlib.sha256`: the file is read
//! back and hashed here, so [`crate::Board::sha256`] answers on every board. The hash is the
//! interpreter's own (`hashlib`), so host and board compute it with the same code.

use pyrite_core::modules::hashlib::{Algo, HashObj};

/// The SHA-256 digest of `data`.
pub fn digest(data: &[u8]) -> [u8; 32] {
    let mut hash = HashObj::new(Algo::Sha256);
    hash.update(data);
    let mut out = [0u8; 32];
    out.copy_from_slice(&hash.finish());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec::Vec;
    use core::fmt::Write;

    fn hex(d: [u8; 32]) -> String {
        let mut s = String::new();
        for b in d {
            let _ = write!(s, "{b:02x}");
        }
        s
    }

    #[test]
    fn nist_vectors() {
        // FIPS 180-4 examples and the standard long-message vectors.
        assert_eq!(
            hex(digest(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(digest(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        let million_a: Vec<u8> = core::iter::repeat_n(b'a', 1_000_000).collect();
        assert_eq!(
            hex(digest(&million_a)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn padding_boundaries() {
        // Lengths around the split between one and two final blocks, against CPython's
        // hashlib on the bytes (i * 7) & 0xff.
        let data: Vec<u8> = (0..200u32).map(|i| (i * 7) as u8).collect();
        let expected = [
            (
                55,
                "576a1bf8d4478657e6dc4af9398544765c2a92cde28478b019235cfed315fc09",
            ),
            (
                56,
                "9b20501dfd1d99161c257950f3444f3e49230c351c5c8e0943ef369f85f5205d",
            ),
            (
                57,
                "a5534a9d0694341dfde5b1bb3d8addcb38bd46f44a629dc97b3f8fb2721b0720",
            ),
            (
                63,
                "30b345906b493f06f69444b6521113511c242f30e29840462950035043682f1e",
            ),
            (
                64,
                "d8bc63b4fc1156e5e7d95a418b9bf54cd3174bedbc2db40f74895349b229b3c0",
            ),
            (
                65,
                "1ee23b0fbcaecc1aff4a9e8f1645f35ab2c8e13609cd73b68df8b5e3f63ce073",
            ),
            (
                119,
                "7a6589821178918ca8d9edaba5abfc1e9b2669564f4469b66885379c1530b2c8",
            ),
            (
                120,
                "655250427d56b1b0eeb8497d21428704273458a01772d6881b65c0abac0f8a98",
            ),
            (
                128,
                "54c9eb041badfd7064645067b107661fed6113197ce2dd066ba69618abd3732f",
            ),
            (
                200,
                "b531abd8dae7232c861ac9f50aff9952d29c8d4c3772551cc5bce5d39d2cd08d",
            ),
        ];
        for (len, hash) in expected {
            assert_eq!(hex(digest(&data[..len])), hash, "length {len}");
        }
        assert_eq!(
            hex(digest(&[0u8; 64])),
            "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b"
        );
    }
}
