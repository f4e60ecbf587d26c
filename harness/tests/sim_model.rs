//! The model-based test of the two-party simulation: random sequences of
//! operations over the provider core and the relying party core on virtual
//! time (`oidc_hybrid_harness::sim`), checked after every step against the
//! reference model.
//!
//! Invariants, after every step:
//!
//! 1. the outcome the cores give is the model's: the relying party accepts
//!    exactly what the model accepts, and refuses the rest with the code
//!    the model names (its own, or the provider's OAuth error);
//! 2. a code is never redeemed twice (nor by a session it was injected
//!    into: PKCE, the nonce and the audience stop code injection), and never gives two sessions — so a
//!    replayed or duplicated callback, even one the front channel accepts
//!    again, never logs anyone in twice;
//! 3. the grants revoked after a reuse (code or refresh token) keep no
//!    access or refresh token, ever after;
//! 4. the provider's store holds exactly the live codes, tombstones, access
//!    tokens and refresh tokens the model says (the store contract);
//! 5. the provider publishes, and the relying party has cached, exactly the
//!    keys the model says;
//! 6. nothing panics.
//!
//! Failing sequences shrink to short scripts (see `Op`'s `Debug`); the
//! regressions are kept in `harness/proptest-regressions/sim_model.txt`.
//! `SIM_CASES=N` runs N sequences instead of 256 (a long hunt:
//! `SIM_CASES=40000 cargo test --release -p oidc-hybrid-harness --test sim_model`).

use oidc_hybrid::rp::{ResponseMode, ResponseType};
use oidc_hybrid_harness::sim::ops::CLIENTS;
use oidc_hybrid_harness::sim::{Model, Op, Outcome, Tamper, Which, World};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};

struct Reference;

/// A position counting back from the latest of `len` things, most often
/// the latest (0).
fn index(len: usize) -> BoxedStrategy<usize> {
    prop_oneof![3 => Just(0), 2 => 0..len.max(1)].boxed()
}

fn creds() -> BoxedStrategy<Option<usize>> {
    prop_oneof![6 => Just(None), 1 => (0..CLIENTS.len()).prop_map(Some)].boxed()
}

fn begin() -> BoxedStrategy<Op> {
    let mode = prop_oneof![
        6 => Just(None),
        1 => Just(Some(ResponseMode::Query)),
        2 => Just(Some(ResponseMode::Fragment)),
        2 => Just(Some(ResponseMode::FormPost)),
    ];
    let max_age = prop_oneof![3 => Just(None), 1 => (0u64..120).prop_map(Some)];
    (
        0..CLIENTS.len(),
        prop::sample::select(ResponseType::ALL.to_vec()),
        mode,
        max_age,
    )
        .prop_map(|(client, response_type, mode, max_age)| Op::Begin {
            client,
            response_type,
            mode: mode.unwrap_or(response_type.default_mode()),
            max_age,
        })
        .boxed()
}

fn tamper() -> BoxedStrategy<Tamper> {
    prop_oneof![
        12 => Just(Tamper::None),
        1 => Just(Tamper::DropState),
        1 => Just(Tamper::ChangeState),
        1 => Just(Tamper::DuplicateState),
        1 => Just(Tamper::ChangeCode),
        1 => Just(Tamper::FlipIdTokenSignature),
        1 => Just(Tamper::WrongMode),
        1 => Just(Tamper::DropIss),
        1 => Just(Tamper::WrongIss),
        1 => Just(Tamper::ExtraParam),
    ]
    .boxed()
}

/// Lifetimes worth jumping past: a few seconds, the code (60 s), `max_age`
/// values, the access and ID tokens (an hour), the refresh token (14 days).
fn wait() -> BoxedStrategy<Op> {
    prop::sample::select(vec![1u64, 20, 61, 150, 3_600, 3_700, 14 * 24 * 3_600 + 1])
        .prop_map(|secs| Op::Wait { secs })
        .boxed()
}

impl ReferenceStateMachine for Reference {
    type State = Model;
    type Transition = Op;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model::new()).boxed()
    }

    fn transitions(m: &Model) -> BoxedStrategy<Op> {
        let (flows, authzs, responses) = (m.flows.len(), m.authzs.len(), m.responses.len());
        let (callbacks, sessions) = (m.callbacks.len(), m.sessions.len());
        let mut choices: Vec<(u32, BoxedStrategy<Op>)> = vec![
            (4, begin()),
            (2, wait()),
            (2, Just(Op::RotateKey).boxed()),
            (2, Just(Op::RetireKeys).boxed()),
            (1, Just(Op::Purge).boxed()),
        ];
        if flows > 0 {
            choices.push((
                5,
                index(flows).prop_map(|flow| Op::Authorize { flow }).boxed(),
            ));
        }
        if authzs > 0 {
            choices.push((
                5,
                index(authzs)
                    .prop_map(|authz| Op::Complete { authz })
                    .boxed(),
            ));
        }
        if responses > 0 {
            let to = prop_oneof![5 => Just(None), 1 => (0..flows).prop_map(Some)];
            choices.push((
                7,
                (index(responses), to, tamper())
                    .prop_map(|(response, to, tamper)| Op::Deliver {
                        response,
                        to,
                        tamper,
                    })
                    .boxed(),
            ));
        }
        if responses > 0 {
            choices.push((
                2,
                (index(responses), index(flows))
                    .prop_map(|(response, into)| Op::Inject { response, into })
                    .boxed(),
            ));
        }
        if callbacks > 0 {
            choices.push((
                6,
                (index(callbacks), creds())
                    .prop_map(|(callback, creds)| Op::Exchange { callback, creds })
                    .boxed(),
            ));
        }
        if sessions > 0 {
            choices.push((
                4,
                (index(sessions), prop::bool::weighted(0.2), creds())
                    .prop_map(|(session, stale, creds)| Op::Refresh {
                        session,
                        stale,
                        creds,
                    })
                    .boxed(),
            ));
            let which =
                prop::sample::select(vec![Which::Current, Which::Previous, Which::FrontChannel]);
            choices.push((
                3,
                (index(sessions), which)
                    .prop_map(|(session, token)| Op::UserInfo { session, token })
                    .boxed(),
            ));
        }
        prop::strategy::Union::new_weighted(choices).boxed()
    }

    fn apply(state: Model, op: &Op) -> Model {
        state.apply(op)
    }
}

struct Sim;

impl StateMachineTest for Sim {
    type SystemUnderTest = World;
    type Reference = Reference;

    fn init_test(_: &Model) -> World {
        World::new()
    }

    fn apply(mut world: World, model: &Model, op: Op) -> World {
        let got = world.apply(&op);
        assert_eq!(got, model.last, "{op:?}: the cores and the model disagree");
        world
    }

    fn check_invariants(world: &World, model: &Model) {
        // 2. One redemption, one session per code.
        assert!(
            world.codes_redeemed_twice().is_empty(),
            "a code was redeemed twice"
        );
        assert!(
            world.codes_with_two_sessions().is_empty(),
            "a code gave two sessions"
        );
        // 3. Revoked stays revoked.
        let alive = world.store().grants_with_tokens();
        assert!(
            world.revoked().iter().all(|g| !alive.contains(g)),
            "a revoked grant has tokens"
        );
        assert_eq!(world.revoked().len(), model.revoked(), "revoked grants");
        // 4. The store contract.
        let c = world.store().counts();
        let e = model.expected_counts();
        assert_eq!(
            [
                c.codes,
                c.code_tombstones,
                c.access_tokens,
                c.refresh_tokens,
                c.refresh_tombstones
            ],
            [
                e.codes,
                e.code_tombstones,
                e.access_tokens,
                e.refresh_tokens,
                e.refresh_tombstones
            ],
            "store: live codes, code tombstones, access, live refresh, refresh tombstones"
        );
        // 5. Keys.
        assert_eq!(world.published_keys(), model.published, "published keys");
        assert_eq!(world.rp_keys(), model.rp_cache, "the relying party's keys");
        // The same entities on both sides.
        assert_eq!(
            world.entity_counts(),
            [
                model.flows.len(),
                model.authzs.len(),
                model.responses.len(),
                model.callbacks.len(),
                model.sessions.len()
            ],
            "flows, requests, responses, callbacks, sessions"
        );
        assert_eq!(world.now().secs(), model.now);
    }
}

/// `SIM_CASES`, or 256.
fn cases() -> u32 {
    std::env::var("SIM_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/sim_model.txt",
        ))),
        ..Config::default()
    }
}

prop_state_machine! {
    #![proptest_config(config(cases()))]

    /// 256 random runs of up to 50 steps (about 6,400 steps; 10 s in debug
    /// on an idle machine).
    #[test]
    fn the_cores_do_what_the_model_says(sequential 1..50 => Sim);
}

/// Runs `ops` in order on a fresh world and model, checking every step.
fn run(ops: &[Op]) -> Vec<Outcome> {
    let mut model = Model::new();
    let mut world = World::new();
    let mut out = Vec::new();
    for op in ops {
        model = model.apply(op);
        world = Sim::apply(world, &model, *op);
        Sim::check_invariants(&world, &model);
        out.push(model.last.clone());
    }
    out
}

fn login(client: usize, response_type: ResponseType) -> Vec<Op> {
    vec![
        Op::Begin {
            client,
            response_type,
            mode: response_type.default_mode(),
            max_age: None,
        },
        Op::Authorize { flow: 0 },
        Op::Complete { authz: 0 },
        Op::Deliver {
            response: 0,
            to: None,
            tamper: Tamper::None,
        },
        Op::Exchange {
            callback: 0,
            creds: None,
        },
    ]
}

#[test]
fn every_client_and_type_logs_in_refreshes_and_calls_userinfo() {
    for (client, spec) in CLIENTS.iter().enumerate() {
        for t in spec.response_types {
            let mut ops = login(client, *t);
            ops.push(Op::Refresh {
                session: 0,
                stale: false,
                creds: None,
            });
            ops.push(Op::UserInfo {
                session: 0,
                token: Which::Current,
            });
            let out = run(&ops);
            assert!(
                out.iter().all(|o| *o == Outcome::Ok),
                "{client} {t}: {out:?}"
            );
        }
    }
}

#[test]
fn a_code_used_twice_revokes_what_it_gave() {
    let mut ops = login(0, ResponseType::CodeIdTokenToken);
    ops.extend([
        Op::Exchange {
            callback: 0,
            creds: None,
        },
        Op::UserInfo {
            session: 0,
            token: Which::Current,
        },
        Op::UserInfo {
            session: 0,
            token: Which::FrontChannel,
        },
        Op::Refresh {
            session: 0,
            stale: false,
            creds: None,
        },
    ]);
    let out = run(&ops);
    assert_eq!(
        out[5..],
        [
            Outcome::provider("invalid_grant"),
            Outcome::provider("invalid_token"),
            Outcome::provider("invalid_token"),
            Outcome::provider("invalid_grant"),
        ]
    );
}

#[test]
fn a_replayed_callback_never_gives_a_second_session() {
    let mut ops = login(1, ResponseType::CodeIdToken);
    ops.extend([
        // The same response again: the front channel is stateless and
        // accepts it, the code is spent and the grant revoked.
        Op::Deliver {
            response: 0,
            to: None,
            tamper: Tamper::None,
        },
        Op::Exchange {
            callback: 0,
            creds: None,
        },
        Op::UserInfo {
            session: 0,
            token: Which::Current,
        },
    ]);
    let out = run(&ops);
    assert_eq!(
        out[5..],
        [
            Outcome::Ok,
            Outcome::provider("invalid_grant"),
            Outcome::provider("invalid_token"),
        ]
    );
}

#[test]
fn another_session_and_another_client_are_refused() {
    let mut ops = vec![Op::Begin {
        client: 2,
        response_type: ResponseType::CodeToken,
        mode: ResponseMode::FormPost,
        max_age: None,
    }];
    ops.extend(login(2, ResponseType::CodeToken));
    // The second flow's response goes to the first flow's PendingAuth;
    // then an attacker (client 0) redeems the second flow's code, which
    // spends it.
    ops.insert(
        4,
        Op::Deliver {
            response: 0,
            to: Some(1),
            tamper: Tamper::None,
        },
    );
    ops.insert(
        6,
        Op::Exchange {
            callback: 0,
            creds: Some(0),
        },
    );
    let out = run(&ops);
    assert_eq!(out[4], Outcome::Rp("state_mismatch"));
    assert_eq!(out[6], Outcome::provider("invalid_grant"));
    assert_eq!(out[7], Outcome::provider("invalid_grant"), "{out:?}");
}

#[test]
fn rotation_late_codes_and_retired_keys() {
    let login = |max_age| {
        [
            Op::Begin {
                client: 0,
                response_type: ResponseType::CodeIdToken,
                mode: ResponseMode::Fragment,
                max_age,
            },
            Op::Authorize { flow: 0 },
            Op::Complete { authz: 0 },
        ]
    };
    let mut ops = vec![Op::RotateKey];
    // Signed with key 1, which the relying party has not seen; the provider
    // rotates again and retires key 1 before the response arrives:
    // refetching the JWKS does not help.
    ops.extend(login(Some(30)));
    ops.extend([
        Op::RotateKey,
        Op::RetireKeys,
        Op::Deliver {
            response: 0,
            to: None,
            tamper: Tamper::None,
        },
    ]);
    // Signed with key 2, known after that refetch; exchanged late: the
    // code has expired.
    ops.extend(login(None));
    ops.extend([
        Op::Deliver {
            response: 0,
            to: None,
            tamper: Tamper::None,
        },
        Op::Wait { secs: 61 },
        Op::Exchange {
            callback: 0,
            creds: None,
        },
    ]);
    let out = run(&ops);
    assert_eq!(out[6], Outcome::Rp("unknown_kid"));
    assert_eq!(out[10], Outcome::Ok);
    assert_eq!(out[12], Outcome::provider("invalid_grant"));
}

/// The generator reaches the states the invariants are about: every
/// outcome below occurs in 600 generated runs (the model alone, so this
/// is cheap). Without it a weak generator would pass vacuously.
#[test]
fn the_generator_reaches_every_interesting_outcome() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::BTreeSet;

    let mut runner = TestRunner::deterministic();
    let strategy = Reference::sequential_strategy(1..40);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for _ in 0..600 {
        let (mut model, ops, _) = strategy.new_tree(&mut runner).unwrap().current();
        for op in &ops {
            let revoked = model.revoked();
            model = model.apply(op);
            if model.revoked() > revoked {
                seen.insert(format!(
                    "{} revokes",
                    format!("{op:?}").split('(').next().unwrap_or_default()
                ));
            }
            let kind = format!("{op:?}");
            let kind = kind.split('(').next().unwrap_or_default();
            seen.insert(format!("{kind} {:?}", model.last));
        }
    }
    let want = [
        "Begin Ok",
        "Begin Rp(\"invalid_parameter\")",
        "Authorize Provider(\"unauthorized_client\")",
        "Deliver Ok",
        "Deliver Rp(\"state_mismatch\")",
        "Deliver Rp(\"c_hash_mismatch\")",
        "Deliver Rp(\"bad_signature\")",
        "Deliver Rp(\"iss_param_missing\")",
        "Deliver Rp(\"iss_param_mismatch\")",
        "Deliver Rp(\"unexpected_response\")",
        "Deliver Rp(\"expired\")",
        "Deliver Rp(\"max_age_exceeded\")",
        "Deliver Rp(\"unknown_kid\")",
        "Deliver Rp(\"duplicate_parameter\")",
        "Deliver Rp(\"missing_parameter\")",
        "Deliver Provider(\"unauthorized_client\")",
        "Inject Ok",
        "Inject Rp(\"nonce_mismatch\")",
        "Inject Rp(\"invalid_audience\")",
        "Inject Rp(\"alg_not_allowed\")",
        "Inject Rp(\"missing_parameter\")",
        "Exchange Ok",
        "Exchange Provider(\"invalid_grant\")",
        "Exchange revokes",
        "Refresh revokes",
        "Refresh Ok",
        "Refresh Provider(\"invalid_grant\")",
        "UserInfo Ok",
        "UserInfo Provider(\"invalid_token\")",
    ];
    let missing: Vec<&str> = want
        .iter()
        .copied()
        .filter(|w| !seen.contains(*w))
        .collect();
    assert!(
        missing.is_empty(),
        "never reached: {missing:?}\nseen: {seen:#?}"
    );
}

#[test]
fn an_injected_code_is_stopped_by_pkce_or_the_nonce() {
    let flow = |response_type| Op::Begin {
        client: 0,
        response_type,
        mode: response_type.default_mode(),
        max_age: None,
    };
    for (t, front) in [
        // No ID token: the front channel cannot tell; PKCE stops the exchange.
        (ResponseType::Code, Outcome::Ok),
        (ResponseType::CodeToken, Outcome::Ok),
        // An ID token carries the victim's nonce.
        (ResponseType::CodeIdToken, Outcome::Rp("nonce_mismatch")),
    ] {
        let ops = [
            flow(t), // the victim
            Op::Authorize { flow: 0 },
            Op::Complete { authz: 0 },
            flow(t), // the attacker
            Op::Inject {
                response: 0,
                into: 0,
            },
            Op::Exchange {
                callback: 0,
                creds: None,
            },
        ];
        let out = run(&ops);
        assert_eq!(out[4], front, "{t}");
        if front == Outcome::Ok {
            assert_eq!(out[5], Outcome::provider("invalid_grant"), "{t}");
        } else {
            assert_eq!(out[5], Outcome::Skipped, "{t}");
        }
    }
}
