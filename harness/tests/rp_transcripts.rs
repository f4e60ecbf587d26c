//! The nine exchanges recorded from the certified provider are accepted,
//! by the library function and by the `oidc-hybrid check` program.

use std::process::Command;

use oidc_hybrid_harness::cli::check::{CheckOptions, check_transcript, verdict_line};
use oidc_hybrid_harness::fixtures::{Transcript, fixtures_dir, transcript_paths};

#[test]
fn all_nine_recorded_exchanges_are_accepted() {
    let paths = transcript_paths();
    assert_eq!(paths.len(), 9);
    for path in paths {
        let t = Transcript::load(&path).unwrap();
        let result = check_transcript(&t, &CheckOptions::default());
        assert_eq!(verdict_line(&t.case, &result), format!("ACCEPT {}", t.case));
        let accepted = result.unwrap();
        assert_eq!(
            accepted.steps,
            [
                "authorization response",
                "token response",
                "refresh response",
                "userinfo response"
            ]
        );
        let session = accepted.session.unwrap();
        assert_eq!(session.sub(), "alice");
        assert_eq!(session.id_token().iss, t.issuer);
    }
}

#[test]
fn also_with_the_library_default_leeway() {
    for path in transcript_paths() {
        let t = Transcript::load(&path).unwrap();
        let opts = CheckOptions {
            leeway: oidc_hybrid::rp::DEFAULT_LEEWAY,
        };
        assert!(check_transcript(&t, &opts).is_ok(), "{}", t.case);
    }
}

fn check(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_oidc-hybrid"))
        .arg("check")
        .args(args)
        .output()
        .expect("the program runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn the_check_program_prints_one_line_per_file_and_exits_by_verdict() {
    let paths: Vec<String> = transcript_paths()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let args: Vec<&str> = paths.iter().map(String::as_str).collect();
    let (code, out) = check(&args);
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 9);
    assert!(lines.iter().all(|l| l.starts_with("ACCEPT ")), "{out}");

    let negative = fixtures_dir()
        .join("negative")
        .join("c_hash_mismatch.front_code_swapped.json");
    let negative = negative.display().to_string();
    let (code, out) = check(&[args[0], &negative]);
    assert_eq!(code, 1, "{out}");
    let second = out.lines().nth(1).unwrap();
    assert!(
        second.starts_with("REJECT c_hash_mismatch.front_code_swapped c_hash_mismatch: "),
        "{second}"
    );

    let (code, out) = check(&[args[0], &negative, "/nonexistent/exchange.json"]);
    assert_eq!(code, 2, "{out}");
    assert_eq!(
        out.lines().count(),
        2,
        "unreadable files print no verdict: {out}"
    );
}
