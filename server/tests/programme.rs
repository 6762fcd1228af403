//! The programme in content/ keeps what the programme promises: every path substantial, with
//! practice in it, English titles, and enough badges. A content edit that breaks this fails here.

use officina_core::{ActivityKind, Audience, Programme};
use std::path::Path;

#[test]
fn every_path_is_substantial_and_the_programme_has_its_badges() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let loaded =
        officina_server::content::load(&content).unwrap_or_else(|errors| panic!("{errors}"));
    let bundle = &loaded.bundle;
    let audiences: Vec<Audience> = bundle.paths.iter().map(|p| p.audience).collect();
    assert_eq!(
        audiences
            .iter()
            .filter(|a| **a == Audience::Learners)
            .count(),
        6,
        "Space Camp and five STEAMcamp paths"
    );
    assert_eq!(
        audiences.iter().filter(|a| **a == Audience::Family).count(),
        3,
        "three STEAMcamp Family paths"
    );
    assert_eq!(
        audiences
            .iter()
            .filter(|a| **a == Audience::Startups)
            .count(),
        1,
        "IN-Community"
    );
    let programmes: Vec<Option<Programme>> = bundle.paths.iter().map(|p| p.programme).collect();
    for (programme, paths) in [
        (Programme::SpaceCamp, 1),
        (Programme::Steamcamp, 5),
        (Programme::SteamcampFamily, 3),
        (Programme::InCommunity, 1),
    ] {
        let found = programmes.iter().filter(|p| **p == Some(programme)).count();
        assert_eq!(found, paths, "{programme:?}");
    }
    for path in &bundle.paths {
        let kinds: Vec<ActivityKind> = path.activities().map(|a| a.kind()).collect();
        assert!(path.modules.len() >= 3, "{}: at least 3 modules", path.id);
        assert!(kinds.len() >= 8, "{}: at least 8 activities", path.id);
        assert!(kinds.contains(&ActivityKind::Quiz), "{}: a quiz", path.id);
        let practice = if path.audience == Audience::Family {
            ActivityKind::FamilyTask
        } else {
            ActivityKind::Challenge
        };
        assert!(kinds.contains(&practice), "{}: a {practice:?}", path.id);
        assert!(
            path.title.en.is_some() && path.summary.en.is_some(),
            "{}: English title and summary",
            path.id
        );
    }
    assert!(bundle.badges.len() >= 12, "at least 12 badges");
    let questionnaire = &bundle.self_assessment;
    assert!(
        (4..=6).contains(&questionnaire.statements.len()),
        "a short self-assessment"
    );
    assert!(
        questionnaire
            .statements
            .iter()
            .chain(&questionnaire.scale)
            .all(|text| text.en.is_some()),
        "the self-assessment in English too"
    );
}

/// The apps read a bundle with core's own reader (not the derived one the server writes with):
/// the whole programme, as the server sends it, must read back to exactly what was sent.
#[test]
fn the_apps_read_the_programme_exactly_as_the_server_sends_it() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let loaded =
        officina_server::content::load(&content).unwrap_or_else(|errors| panic!("{errors}"));
    let sent = serde_json::to_string(&loaded.bundle).unwrap();
    let read: officina_core::Bundle = serde_json::from_str(&sent).unwrap();
    assert_eq!(read, loaded.bundle);
}
