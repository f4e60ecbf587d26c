//! `parse/authorization_response`: the strict form parser (`Params::parse`:
//! bounded, percent-decoding, duplicates refused) over authorization
//! responses of 1 to 32 parameters (`MAX_PARAMS`), `Throughput::Bytes`, to
//! show the cost grows linearly with the input.
//!
//! The parameters are those of a `code id_token token` response without the
//! ID token (whose one long value would swamp the count), then extension
//! parameters of 43-character values, so the size grows about evenly with
//! the count. Two values carry escapes (`scope` with `+`, `iss` with `%3A`).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use oidc_hybrid::encoding::form::{MAX_PARAMS, Params};
use oidc_hybrid_benches as fx;

/// The first `n` parameters of a response, form-encoded.
fn response(n: usize) -> String {
    let mut params: Vec<(String, String)> = vec![
        ("code".into(), fx::CODE.into()),
        ("state".into(), "l7bTs96t_-7ETaKgd7C6aw".into()),
        ("access_token".into(), fx::ACCESS_TOKEN.into()),
        ("token_type".into(), "Bearer".into()),
        ("expires_in".into(), "3600".into()),
        ("scope".into(), "openid+profile+email".into()),
        ("iss".into(), "https%3A%2F%2Fop.example.com".into()),
        (
            "session_state".into(),
            "3QQypddd9BUaIgdq47-aNQ.Pv89glEU1RGGHf0XiSYb6o".into(),
        ),
    ];
    let mut i = 0;
    while params.len() < n {
        params.push((format!("ext_{i}"), format!("{:0>43}", i * 7919)));
        i += 1;
    }
    params.truncate(n);
    params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn parse_group(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for n in [1usize, 2, 4, 8, 16, MAX_PARAMS] {
        let input = response(n);
        assert_eq!(Params::parse(&input).expect("parses").len(), n);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("authorization_response", n),
            &input,
            |b, input| b.iter(|| Params::parse(black_box(input))),
        );
    }
    group.finish();
}

criterion_group!(benches, parse_group);
criterion_main!(benches);
