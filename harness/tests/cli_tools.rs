//! The `hash`, `verify` and `sign` subcommands, run as a user would.

use std::process::Command;

use oidc_hybrid_harness::fixtures::fixtures_dir;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_oidc-hybrid"))
}

fn run(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().expect("runs");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn hash_prints_the_oidc_core_example() {
    let (code, out) = run(bin().args([
        "hash",
        "--alg",
        "ES256",
        "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk",
    ]));
    assert_eq!((code, out.as_str()), (0, "LDktKdoQak3Pk0cnXxCltA\n"));
    let (code, _) = run(bin().args(["hash", "--alg", "none", "x"]));
    assert_eq!(code, 2);
}

fn rfc_a2() -> (tempdir::Dir, String) {
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures_dir().join("rfc").join("rfc7515_a2_rs256.json")).unwrap(),
    )
    .unwrap();
    let dir = tempdir::Dir::new();
    let mut jwks = v["jwks"].clone();
    jwks["keys"][0]["kid"] = "a2".into();
    let mut key = v["private_jwk"].clone();
    key["kid"] = "a2".into();
    std::fs::write(dir.path("jwks.json"), serde_json::to_vec(&jwks).unwrap()).unwrap();
    std::fs::write(dir.path("key.json"), serde_json::to_vec(&key).unwrap()).unwrap();
    (dir, v["token"].as_str().unwrap().to_string())
}

#[test]
fn verify_accepts_the_rfc7515_a2_token_and_rejects_an_altered_one() {
    let (dir, token) = rfc_a2();
    let jwks = dir.path("jwks.json");
    let (code, out) = run(bin()
        .arg("verify")
        .arg("--jwks")
        .arg(&jwks)
        .args(["--alg", "RS256", &token]));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("signature: valid") && out.contains("\"iss\": \"joe\""),
        "{out}"
    );
    let altered = token.replacen("eyJpc3Mi", "eyJpc3Ni", 1);
    let (code, out) = run(bin()
        .arg("verify")
        .arg("--jwks")
        .arg(&jwks)
        .args(["--alg", "RS256", &altered]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("bad_signature"), "{out}");
    let (code, out) = run(bin()
        .arg("verify")
        .arg("--jwks")
        .arg(&jwks)
        .args(["--alg", "ES256", &token]));
    assert_eq!(code, 1);
    assert!(out.contains("alg_not_allowed"), "{out}");
}

#[test]
fn sign_then_verify() {
    let (dir, _) = rfc_a2();
    let (code, token) = run(bin()
        .arg("sign")
        .arg("--key")
        .arg(dir.path("key.json"))
        .arg(r#"{"sub":"alice"}"#));
    assert_eq!(code, 0, "{token}");
    let (code, out) = run(bin()
        .arg("verify")
        .arg("--jwks")
        .arg(dir.path("jwks.json"))
        .args(["--alg", "RS256", token.trim()]));
    assert_eq!(code, 0, "{out}");
}

mod tempdir {
    use std::path::PathBuf;

    /// A scratch folder removed on drop.
    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new() -> Self {
            use std::sync::atomic::{AtomicU32, Ordering};
            static N: AtomicU32 = AtomicU32::new(0);
            let p = std::env::temp_dir().join(format!(
                "oidc-hybrid-cli-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::SeqCst)
            ));
            std::fs::create_dir_all(&p).unwrap();
            Self(p)
        }

        pub fn path(&self, name: &str) -> PathBuf {
            self.0.join(name)
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
