#![cfg(not(target_arch = "wasm32"))]
//! Frames recorded from the real `@automerge/automerge-repo` (2.5.6) and
//! its sync server (1.2.1) — see `tests/fixtures/wire/README.md` — decode
//! to the same fields, and encode back to the very same bytes.

use std::path::Path;

use common_ground::core::repo::hex;
use common_ground::core::repo::message::Message;
use serde_json::Value;

fn fixtures() -> Vec<(Value, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wire");
    let index: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    index
        .into_iter()
        .map(|entry| {
            let bytes = std::fs::read(dir.join(entry["file"].as_str().unwrap())).unwrap();
            (entry, bytes)
        })
        .collect()
}

fn text<'a>(entry: &'a Value, field: &str) -> Option<&'a str> {
    entry["fields"][field].as_str()
}

#[test]
fn every_recorded_frame_decodes_to_its_fields() {
    let all = fixtures();
    assert!(all.len() >= 15, "the fixtures are there");
    for (entry, bytes) in &all {
        let name = entry["name"].as_str().unwrap();
        let message = Message::decode(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(message.sender(), text(entry, "senderId").unwrap(), "{name}");
        assert_eq!(message.target(), text(entry, "targetId"), "{name}");
        match &message {
            Message::Join {
                versions, metadata, ..
            } => {
                let storage = entry["fields"]["peerMetadata"]["storageId"].as_str();
                assert_eq!(metadata.storage_id.as_deref(), storage, "{name}");
                let wanted: Vec<&str> = entry["fields"]["supportedProtocolVersions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                assert_eq!(versions, &wanted, "{name}");
            }
            Message::Peer {
                version, metadata, ..
            } => {
                assert_eq!(version, "1", "{name}");
                assert!(metadata.storage_id.is_some(), "{name}");
            }
            Message::Sync { document, data, .. } | Message::Request { document, data, .. } => {
                assert_eq!(document.to_string(), text(entry, "documentId").unwrap());
                assert_eq!(hex(data), text(entry, "data").unwrap(), "{name}");
                assert!(
                    automerge::sync::Message::decode(data).is_ok(),
                    "{name}: an automerge sync message"
                );
            }
            Message::DocUnavailable { document, .. } => {
                assert_eq!(document.to_string(), text(entry, "documentId").unwrap());
            }
            Message::Ephemeral {
                count,
                session,
                data,
                ..
            } => {
                assert_eq!(Some(*count), entry["fields"]["count"].as_u64(), "{name}");
                assert_eq!(Some(session.as_str()), text(entry, "sessionId"), "{name}");
                assert_eq!(hex(data), text(entry, "data").unwrap(), "{name}");
            }
            Message::RemoteHeadsChanged { heads, .. } => {
                let recorded = entry["fields"]["newHeads"].as_object().unwrap();
                assert_eq!(heads.len(), recorded.len(), "{name}");
                for entry in heads {
                    let heads: Vec<&str> = recorded[&entry.storage_id]["heads"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_str().unwrap())
                        .collect();
                    assert_eq!(entry.heads, heads, "{name}");
                }
            }
            Message::Error { message, .. } => {
                assert_eq!(Some(message.as_str()), text(entry, "message"), "{name}");
            }
            Message::Leave { .. } | Message::RemoteSubscriptionChange { .. } => {}
        }
    }
}

#[test]
fn frames_encode_byte_for_byte_as_automerge_repo_writes_them() {
    for (entry, bytes) in fixtures() {
        let name = entry["name"].as_str().unwrap();
        if name.starts_with("handbuilt") {
            continue; // written by hand to provoke an error, not by automerge-repo
        }
        // The JS client writes `remove: undefined` where we write an empty list.
        let undefined_field = hex(&bytes).contains("f7");
        if name.starts_with("remote-subscription-change") && undefined_field {
            continue;
        }
        let message = Message::decode(&bytes).unwrap();
        assert_eq!(hex(&message.encode()), hex(&bytes), "{name}");
    }
}

#[test]
fn presence_round_trips_and_ignores_other_broadcasts() {
    use common_ground::core::repo::message::{decode_presence, encode_presence};
    let ana = decode_presence(&encode_presence("Ana", None)).unwrap();
    assert_eq!((ana.name.as_str(), ana.member), ("Ana", None));
    let member = decode_presence(&encode_presence("Ana", Some("m1"))).unwrap();
    assert_eq!(member.member.as_deref(), Some("m1"));
    // What automerge-repo's own test broadcast carried is not presence.
    for (entry, bytes) in fixtures() {
        if let Ok(Message::Ephemeral { data, .. }) = Message::decode(&bytes) {
            let _ = entry;
            assert_eq!(decode_presence(&data), None);
        }
    }
    assert_eq!(decode_presence(&[0xff, 0x00]), None);
}

#[test]
fn truncated_oversized_and_unknown_frames_are_refused_with_a_reason() {
    use common_ground::core::repo::message::{DecodeError, MAX_FRAME_BYTES};
    let (_, sync) = fixtures()
        .into_iter()
        .find(|(entry, _)| entry["type"] == "sync")
        .unwrap();
    for cut in [0, 1, sync.len() / 2, sync.len() - 1] {
        assert!(Message::decode(&sync[..cut]).is_err(), "cut at {cut}");
    }
    assert_eq!(
        Message::decode(&vec![0; MAX_FRAME_BYTES + 1]),
        Err(DecodeError::TooLarge(MAX_FRAME_BYTES + 1))
    );
    let unknown = Message::Leave { sender: "x".into() }
        .encode()
        .iter()
        .map(|b| if *b == b'l' { b'k' } else { *b })
        .collect::<Vec<u8>>();
    assert!(matches!(
        Message::decode(&unknown),
        Err(DecodeError::UnknownType(_))
    ));
    // A map that claims more entries than the frame holds is not allocated.
    assert_eq!(
        Message::decode(&[0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        Err(DecodeError::Malformed)
    );
}
