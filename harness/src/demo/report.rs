//! The demo's results: one [`LoginResult`] per case, the [`Report`], and
//! how they are shown: a table for people, JSON for machines.

use core::fmt::Write as _;
use core::time::Duration;

use serde::Serialize;

use super::{Case, Target};

/// The outcome of one step of a login.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Step {
    /// The step passed; `checks` names what the relying party verified.
    Passed {
        /// What was verified (see [`LEGEND`]).
        checks: Vec<String>,
    },
    /// The step failed.
    Failed {
        /// The core's stable error code, or `http` / `browser` for a
        /// transport failure.
        code: String,
        /// The message.
        message: String,
    },
    /// The step did not run.
    Skipped {
        /// Why.
        reason: String,
    },
}

impl Step {
    /// Passed, with these checks.
    pub fn passed<S: Into<String>>(checks: impl IntoIterator<Item = S>) -> Self {
        Self::Passed {
            checks: checks.into_iter().map(Into::into).collect(),
        }
    }

    /// Failed with the core's error.
    pub fn core_error(e: &oidc_hybrid::Error) -> Self {
        Self::Failed {
            code: e.code().into(),
            message: e.to_string(),
        }
    }

    /// Failed outside the core (`http`, `browser`).
    pub fn transport(code: &str, message: impl Into<String>) -> Self {
        Self::Failed {
            code: code.into(),
            message: message.into(),
        }
    }

    /// Skipped for `reason`.
    pub fn skipped(reason: &str) -> Self {
        Self::Skipped {
            reason: reason.into(),
        }
    }

    /// Whether it failed.
    pub fn failed(&self) -> bool {
        matches!(self, Self::Failed { .. })
    }

    /// The table cell: `ok checks…`, `FAIL code`, `- reason`.
    pub fn cell(&self) -> String {
        match self {
            Self::Passed { checks } if checks.is_empty() => "ok".into(),
            Self::Passed { checks } => format!("ok {}", checks.join(" ")),
            Self::Failed { code, .. } => format!("FAIL {code}"),
            Self::Skipped { reason } => format!("- {reason}"),
        }
    }
}

/// One login: a case through every step.
#[derive(Clone, Debug, Serialize)]
pub struct LoginResult {
    /// `response_type`.
    pub response_type: &'static str,
    /// `response_mode`.
    pub response_mode: &'static str,
    /// The authorization response, validated by `PendingAuth::callback`.
    pub front_channel: Step,
    /// The code exchange, validated by `Callback::token_response`.
    pub token_exchange: Step,
    /// `Session::userinfo_request` / `userinfo_response`.
    pub userinfo: Step,
    /// `Session::refresh_request` / `refresh_response`.
    pub refresh: Step,
    /// Wall time of the whole login, milliseconds (0.1 ms resolution).
    pub ms: f64,
    /// What the browser did (paths only).
    pub browser: Vec<String>,
}

impl LoginResult {
    /// A login of `case` where nothing has run yet.
    pub fn new(case: Case) -> Self {
        let not_run = || Step::skipped("not reached");
        Self {
            response_type: case.response_type.as_str(),
            response_mode: case.response_mode.as_str(),
            front_channel: not_run(),
            token_exchange: not_run(),
            userinfo: not_run(),
            refresh: not_run(),
            ms: 0.0,
            browser: Vec::new(),
        }
    }

    /// The steps with their column names.
    pub fn steps(&self) -> [(&'static str, &Step); 4] {
        [
            ("front channel", &self.front_channel),
            ("token exchange", &self.token_exchange),
            ("userinfo", &self.userinfo),
            ("refresh", &self.refresh),
        ]
    }

    /// Whether the login passed: no step failed (a step the provider does
    /// not offer, such as refresh without a refresh token, is skipped).
    pub fn passed(&self) -> bool {
        !self.steps().iter().any(|(_, s)| s.failed())
    }
}

/// Everything the demo did.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// What the provider is (`serve-op (in-process)`, `external`).
    pub provider: String,
    /// Its issuer.
    pub issuer: String,
    /// The client used.
    pub client_id: String,
    /// Logins that passed.
    pub passed: usize,
    /// Logins that failed.
    pub failed: usize,
    /// Wall time of the whole run (discovery and every login),
    /// milliseconds (0.1 ms resolution).
    pub wall_ms: f64,
    /// One per case, in order.
    pub logins: Vec<LoginResult>,
}

/// What the words in the table's cells mean.
pub const LEGEND: &str = "\
front channel   state: the state sent came back (CSRF); iss: the RFC 9207 iss parameter is the issuer;
                id_token: signature with the registered alg, iss, aud, exp, iat, nonce; c_hash, at_hash,
                s_hash: the ID token binds the code, access token, state; Bearer: the access token's type
token exchange  code + PKCE verifier redeemed by the authenticated client; id_token: validated again;
                at_hash: binds the new access token; sub: same end-user as the front-channel ID token
userinfo        the UserInfo sub equals the ID token's; +N: the other claims released
refresh         refresh_token grant; rotated: a new refresh token; id_token: the new ID token keeps
                iss, sub, aud, azp, auth_time (OIDC Core §12.2)";

/// `d` in milliseconds, rounded to 0.1 ms.
pub fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

impl Report {
    /// Builds the report.
    pub fn new(target: &Target, logins: Vec<LoginResult>, wall: Duration) -> Self {
        let passed = logins.iter().filter(|l| l.passed()).count();
        Self {
            provider: target.label.clone(),
            issuer: target.issuer.clone(),
            client_id: target.client_id.clone(),
            passed,
            failed: logins.len().saturating_sub(passed),
            wall_ms: millis(wall),
            logins,
        }
    }

    /// Whether every login passed (and there was at least one).
    pub fn all_passed(&self) -> bool {
        self.failed == 0 && self.passed > 0
    }

    /// The verdict line: `PASS: 9 passed, 0 failed` or `FAIL: …`.
    pub fn verdict(&self) -> String {
        format!(
            "{}: {} passed, {} failed",
            if self.all_passed() { "PASS" } else { "FAIL" },
            self.passed,
            self.failed
        )
    }

    /// The table, the failures' details, the legend and the verdict.
    pub fn render(&self) -> String {
        let header = [
            "response type",
            "mode",
            "front channel",
            "token exchange",
            "userinfo",
            "refresh",
            "time",
        ];
        let rows: Vec<[String; 7]> = self
            .logins
            .iter()
            .map(|l| {
                [
                    l.response_type.to_owned(),
                    l.response_mode.to_owned(),
                    l.front_channel.cell(),
                    l.token_exchange.cell(),
                    l.userinfo.cell(),
                    l.refresh.cell(),
                    format!("{:.1} ms", l.ms),
                ]
            })
            .collect();
        let mut widths = header.map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: &[String]| {
            let mut out = String::new();
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                if i + 1 == cells.len() {
                    // The time column, right-aligned.
                    let _ = write!(out, "{cell:>w$}");
                } else {
                    let _ = write!(out, "{cell:<w$}  ");
                }
            }
            out.trim_end().to_owned()
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "oidc-hybrid demo: the relying party core logs in to {} at {}",
            self.provider, self.issuer
        );
        let _ = writeln!(
            out,
            "client {}; every response type and mode over real HTTP, then token exchange, UserInfo, refresh\n",
            self.client_id
        );
        let _ = writeln!(out, "{}", line(&header.map(String::from)));
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        let _ = writeln!(out, "{}", line(&rule));
        for row in &rows {
            let _ = writeln!(out, "{}", line(row));
        }
        let failures: Vec<&LoginResult> = self.logins.iter().filter(|l| !l.passed()).collect();
        if !failures.is_empty() {
            let _ = writeln!(out, "\nfailures:");
            for l in failures {
                for (name, step) in l.steps() {
                    if let Step::Failed { code, message } = step {
                        let _ = writeln!(
                            out,
                            "  {} / {}: {name}: {code}: {message}",
                            l.response_type, l.response_mode
                        );
                    }
                }
                if !l.browser.is_empty() {
                    let _ = writeln!(out, "    browser: {}", l.browser.join(", "));
                }
            }
        }
        let _ = writeln!(out, "\n{LEGEND}\n");
        let _ = writeln!(
            out,
            "{} logins in {:.2} s ({})",
            self.logins.len(),
            self.wall_ms / 1000.0,
            if self.all_passed() {
                "all passed"
            } else {
                "see the failures above"
            }
        );
        let _ = write!(out, "{}", self.verdict());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oidc_hybrid::rp::{ResponseMode, ResponseType};

    fn login(front: Step) -> LoginResult {
        let mut l = LoginResult::new(Case {
            response_type: ResponseType::CodeIdToken,
            response_mode: ResponseMode::FormPost,
        });
        l.front_channel = front;
        l.token_exchange = Step::passed(["id_token"]);
        l.userinfo = Step::passed(["sub=alice"]);
        l.refresh = Step::skipped("no refresh token");
        l
    }

    fn report(logins: Vec<LoginResult>) -> Report {
        Report::new(
            &Target::serve_op("http://127.0.0.1:1"),
            logins,
            Duration::from_millis(5),
        )
    }

    #[test]
    fn a_failed_step_fails_the_login_and_the_verdict() {
        let ok = login(Step::passed(["state", "id_token"]));
        let bad = login(Step::transport("browser", "HTTP 500 at /authorize"));
        assert!(ok.passed());
        assert!(!bad.passed());
        let r = report(vec![ok.clone(), bad]);
        assert_eq!((r.passed, r.failed), (1, 1));
        assert!(!r.all_passed());
        assert_eq!(r.verdict(), "FAIL: 1 passed, 1 failed");
        let text = r.render();
        assert!(text.contains("FAIL browser"), "{text}");
        assert!(
            text.contains("code id_token / form_post: front channel: browser: HTTP 500"),
            "{text}"
        );
        assert!(text.ends_with("FAIL: 1 passed, 1 failed"), "{text}");

        let r = report(vec![ok]);
        assert!(r.all_passed());
        assert!(r.render().ends_with("PASS: 1 passed, 0 failed"));
        assert!(!report(Vec::new()).all_passed(), "no login is no pass");
    }

    #[test]
    fn cells_and_json() {
        let l = login(Step::passed(["state", "c_hash"]));
        assert_eq!(l.front_channel.cell(), "ok state c_hash");
        assert_eq!(l.refresh.cell(), "- no refresh token");
        let json = serde_json::to_value(report(vec![l])).unwrap();
        assert_eq!(json["passed"], 1);
        assert_eq!(json["logins"][0]["response_type"], "code id_token");
        assert_eq!(json["logins"][0]["front_channel"]["status"], "passed");
        assert_eq!(json["logins"][0]["front_channel"]["checks"][1], "c_hash");
        assert_eq!(json["logins"][0]["refresh"]["status"], "skipped");
    }
}
