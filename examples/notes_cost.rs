//! What one keystroke costs in long meeting notes: the edit (`edit_notes`)
//! and the save that follows (`StoredDoc::save`), in notes of 5,000 and
//! 50,000 characters typed a line at a time:
//! `cargo run --release --example notes_cost`.
use std::time::{Duration, Instant};

use automerge::ActorId;
use common_ground::core::command::{self, At};
use common_ground::core::repo::{DocumentId, StoredDoc};

fn main() {
    let at = At::utc(1_772_323_200_000);
    for length in [5_000, 50_000] {
        let actor = ActorId::from([7; 16]);
        let group = DocumentId::from_bytes([1; 16]);
        let mut meeting = command::new_meeting(actor, group, "Long notes", at.now).unwrap();
        let mut typed = String::new();
        while typed.chars().count() < length {
            typed.push_str("Water the beds on the north side before noon. ");
            command::edit_notes(&mut meeting, &typed, &at).unwrap();
        }
        let mut stored = StoredDoc::new(DocumentId::from_bytes([2; 16]), meeting);
        let _ = stored.save();
        let (mut edit, mut save) = (Duration::ZERO, Duration::ZERO);
        let mut known = command::NotesCopy::default();
        let keys = 200;
        let middle = typed.len() / 2;
        for key in 0..keys {
            // A letter typed in the middle, as a member fixing a line does.
            typed.insert(middle + key, 'x');
            let start = Instant::now();
            // As the app types: from the copy it kept of the notes.
            command::edit_notes_from(stored.doc_mut(), &typed, &at, &mut known).unwrap();
            edit += start.elapsed();
            let start = Instant::now();
            let _ = stored.save();
            save += start.elapsed();
        }
        println!(
            "{length} characters: edit {:?} a key, save {:?} a key",
            edit / keys.try_into().unwrap(),
            save / keys.try_into().unwrap()
        );
    }
}
