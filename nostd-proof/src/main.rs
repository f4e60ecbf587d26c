//! Proof that `oidc-hybrid` builds and runs without `std`: hashes a code and
//! verifies an ES256 JWS, exiting 0 only if both give the expected results.
#![no_std]
#![no_main]

extern crate alloc;

use core::alloc::{GlobalAlloc, Layout};
use core::panic::PanicInfo;

use oidc_hybrid::hash::{HashClaim, half_hash, verify};
use oidc_hybrid::jose::{Alg, Jwks, SigningKey, verify_compact};

#[link(name = "c")]
unsafe extern "C" {
    fn malloc(size: usize) -> *mut u8;
    fn free(ptr: *mut u8);
    fn aligned_alloc(align: usize, size: usize) -> *mut u8;
}

struct LibcAlloc;

unsafe impl GlobalAlloc for LibcAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= 16 {
            unsafe { malloc(layout.size()) }
        } else {
            let size = layout.size().div_ceil(layout.align()) * layout.align();
            unsafe { aligned_alloc(layout.align(), size) }
        }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { free(ptr) }
    }
}

#[global_allocator]
static ALLOC: LibcAlloc = LibcAlloc;

#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    loop {}
}

/// The prebuilt `core` references this symbol even with `panic = "abort"`.
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}

/// Referenced by the prebuilt `alloc`'s landing pads; never reached with
/// `panic = "abort"`.
#[unsafe(no_mangle)]
pub extern "C" fn _Unwind_Resume() -> ! {
    loop {}
}

const CODE: &[u8] = b"Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk";

#[unsafe(no_mangle)]
pub extern "C" fn main(_argc: i32, _argv: *const *const u8) -> i32 {
    // OIDC Core Appendix A.4's c_hash.
    if half_hash(Alg::ES256, CODE).as_str() != "LDktKdoQak3Pk0cnXxCltA" {
        return 1;
    }
    if verify(HashClaim::CHash, Alg::ES256, CODE, "LDktKdoQak3Pk0cnXxCltA").is_err() {
        return 2;
    }
    // Sign and verify an ES256 JWS with a fixed key.
    let Ok(key) = SigningKey::es256_from_bytes(&[7u8; 32]) else {
        return 3;
    };
    let token = key.sign_jws(Some("JWT"), br#"{"sub":"alice"}"#);
    let jwks = Jwks::from_keys(alloc::vec![key.public_jwk()]);
    if verify_compact(&token, &[Alg::ES256], &jwks).is_err() {
        return 4;
    }
    let mut bad = alloc::string::String::from(token.as_str());
    bad.push('A');
    if verify_compact(&bad, &[Alg::ES256], &jwks).is_ok() {
        return 5;
    }
    0
}
