//! Whole protocol steps, from raw input to a validated result, on a real
//! exchange between the provider core and the relying party core (default
//! pure-Rust backend): the RP `callback` and `token_response` steps, the
//! provider's `complete` and token endpoint.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use oidc_hybrid::op::{self, Entropy};
use oidc_hybrid::rp::{ResponseMode, ResponseType};
use oidc_hybrid_benches::flow::{ENTROPY, Flow, NOW, redeem};

fn callback(c: &mut Criterion) {
    let mut group = c.benchmark_group("callback");
    for (name, rt, mode) in [
        (
            "code_id_token_fragment",
            ResponseType::CodeIdToken,
            ResponseMode::Fragment,
        ),
        (
            "code_id_token_token_form_post",
            ResponseType::CodeIdTokenToken,
            ResponseMode::FormPost,
        ),
    ] {
        let f = Flow::new(rt, mode);
        let ctx = f.ctx();
        group.bench_function(name, |b| {
            b.iter(|| {
                f.pending
                    .clone()
                    .callback(black_box(&f.raw_response), f.mode, NOW, &ctx)
                    .expect("valid")
            })
        });
    }
    group.finish();
}

fn token_response(c: &mut Criterion) {
    let f = Flow::new(ResponseType::CodeIdToken, ResponseMode::Fragment);
    let ctx = f.ctx();
    c.benchmark_group("token_response")
        .bench_function("code_id_token", |b| {
            b.iter(|| {
                f.callback
                    .clone()
                    .token_response(
                        &ctx,
                        200,
                        "application/json",
                        black_box(f.token_json.as_bytes()),
                        NOW,
                    )
                    .expect("valid")
            })
        });
}

fn provider(c: &mut Criterion) {
    let f = Flow::new(ResponseType::CodeIdTokenToken, ResponseMode::Fragment);
    c.benchmark_group("op_complete")
        .bench_function("code_id_token_token", |b| {
            b.iter(|| {
                op::complete(
                    f.request.clone(),
                    f.subject.clone(),
                    Entropy::new(&ENTROPY).expect("entropy"),
                    &f.keys,
                    &f.config,
                    NOW,
                )
                .expect("complete")
            })
        });
    let f = Flow::new(ResponseType::CodeIdToken, ResponseMode::Fragment);
    c.benchmark_group("op_token")
        .bench_function("code_exchange", |b| {
            b.iter(|| {
                redeem(
                    black_box(&f.token_body),
                    &f.token_auth,
                    &f.registry,
                    &f.config,
                    &f.keys,
                    &f.code_grant,
                )
            })
        });
}

criterion_group!(benches, callback, token_response, provider);
criterion_main!(benches);
