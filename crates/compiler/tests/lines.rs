//! The packed line table answers as the table of pairs it was made from.

use pyrite_compiler::bytecode::{line_at, pack_lines};

/// The line of `offset` by the table of pairs itself.
fn expected(lines: &[(u32, u32)], offset: usize) -> u32 {
    let mut line = lines.first().map(|l| l.1).unwrap_or(1);
    for &(o, l) in lines {
        if o as usize > offset {
            break;
        }
        line = l;
    }
    line
}

#[test]
fn packed_tables_give_the_same_lines() {
    let tables: [&[(u32, u32)]; 6] = [
        &[],
        &[(0, 1)],
        &[(4, 7)],
        &[
            (0, 3),
            (2, 4),
            (9, 2),
            (10, 200),
            (300, 201),
            (70_000, 1),
            (70_001, 100_000),
        ],
        &[(0, u32::MAX), (1, 0), (u32::MAX, 5)],
        &[(0, 10), (0, 11), (5, 9)],
    ];
    for table in tables {
        let packed = pack_lines(table);
        for offset in [
            0,
            1,
            2,
            3,
            4,
            5,
            8,
            9,
            10,
            11,
            299,
            300,
            69_999,
            70_000,
            70_001,
            1 << 40,
        ] {
            assert_eq!(
                line_at(&packed, offset),
                expected(table, offset),
                "{table:?} @ {offset}"
            );
        }
    }
    // Small steps take two bytes a pair.
    let steps: Vec<(u32, u32)> = (0..100).map(|i| (i * 3, i + 1)).collect();
    assert_eq!(pack_lines(&steps).len(), 200);
}

#[test]
fn broken_tables_never_fail() {
    for packed in [
        &[0x80u8][..],
        &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        &[3],
        &[0, 0x80],
    ] {
        let _ = line_at(packed, 0);
        let _ = line_at(packed, 100);
    }
}
