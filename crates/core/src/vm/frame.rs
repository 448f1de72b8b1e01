//! Frames: the state of one running (or suspended) function call.
//!
//! Frames live in the VM's frame stack while they run, and inside a generator object while it is
//! suspended. Their values are precise GC roots.

use alloc::vec::Vec;

use crate::object::CodeBytes;
use crate::value::Obj;

/// What kind of block a `Block` is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BlockKind {
    /// A `SETUP_FINALLY`/`SETUP_WITH` handler: on an exception, jump to `handler`.
    Handler,
    /// Inside a handler: leaving it restores `prev_exc` as the exception being handled.
    ExceptHandler,
}

/// An entry of the block stack.
#[derive(Clone, Copy, Debug)]
pub struct Block {
    /// Its kind.
    pub kind: BlockKind,
    /// Where to jump (for `Handler`).
    pub handler: u32,
    /// The value stack depth to cut back to.
    pub depth: u32,
    /// For `ExceptHandler`: the exception handled before this handler was entered.
    pub prev_exc: Obj,
}

/// What happens when the frame returns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FrameExit {
    /// Push the return value on the caller's stack.
    Normal,
    /// The frame ran `__init__` of a new instance: the caller gets the instance (held in
    /// `Frame::aux`) and the return value must be `None`.
    Init,
    /// The frame is the bottom of a nested run: return from `run` with the value.
    Nested,
}

/// One activation of a code object.
pub struct Frame {
    /// The code object (`HeapObj::Code`).
    pub code: Obj,
    /// The instructions (shared with the code object, so the loop can read them while the VM
    /// is mutably borrowed).
    pub bytes: CodeBytes,
    /// The function being run, or `NULL` for module and `exec` code.
    pub func: Obj,
    /// The globals dict.
    pub globals: Obj,
    /// The locals dict for module, class and `exec` code; `NULL` for functions.
    pub locals: Obj,
    /// The offset of the next instruction.
    pub ip: usize,
    /// The offset of the instruction being executed (for tracebacks).
    pub last_ip: usize,
    /// Fast locals, then cells and free-variable cells, then the value stack.
    pub slots: Vec<Obj>,
    /// Where the value stack starts in `slots`.
    pub stack_base: usize,
    /// The number of fast locals.
    pub nlocals: usize,
    /// The block stack.
    pub blocks: Vec<Block>,
    /// What to do on return.
    pub exit: FrameExit,
    /// The instance under construction (`FrameExit::Init`), or the generator object running
    /// this frame, or `NULL`.
    pub aux: Obj,
}

impl Frame {
    /// Calls `f` with every value the frame holds.
    pub fn trace(&self, f: &mut dyn FnMut(Obj)) {
        f(self.code);
        f(self.func);
        f(self.globals);
        f(self.locals);
        f(self.aux);
        for &o in &self.slots {
            f(o);
        }
        for b in &self.blocks {
            f(b.prev_exc);
        }
    }

    /// Bytes the frame owns, for heap accounting of suspended generators.
    pub fn bytes(&self) -> usize {
        use crate::heap::block;
        block(core::mem::size_of::<Frame>())
            + block(self.slots.capacity() * 4)
            + block(self.blocks.capacity() * core::mem::size_of::<Block>())
    }
}
