//! Photos of challenge evidence on a real socket: only real images are kept, and only as JPEGs
//! re-encoded without metadata; uploads resume and repeat safely; only the right people see them.

mod common;

use common::photos::{
    CHUNK, files_in, get_photo, gps_jpeg, put_chunk, upload, upload_status, uploaded,
};
use common::{TestServer, Workspace};
use exif::{In, Tag};
use officina_core::account::Role;
use officina_server::on;
use officina_server::store::clock;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::io::Cursor;
use uuid::Uuid;

fn exif_of(jpeg: &[u8]) -> Result<exif::Exif, exif::Error> {
    exif::Reader::new().read_from_container(&mut Cursor::new(jpeg))
}

/// Checks `jpeg` is a JPEG that decodes, with no EXIF and no Exif segment at all; its size.
fn assert_clean_jpeg(jpeg: &[u8]) -> (u32, u32) {
    assert!(matches!(exif_of(jpeg), Err(exif::Error::NotFound(_))));
    assert!(
        !jpeg.windows(6).any(|w| w == b"Exif\0\0"),
        "an Exif segment survived"
    );
    let image = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg).unwrap();
    (image.width(), image.height())
}

fn photos_dir(workspace: &Workspace) -> std::path::PathBuf {
    workspace.dir.path().join("data/photos")
}

fn error_code(body: &Value) -> Option<&str> {
    body["error"]["code"].as_str()
}

#[tokio::test]
async fn a_camera_photo_is_stored_upright_without_its_gps_or_any_metadata() {
    let original = gps_jpeg();
    let exif = exif_of(&original).expect("the fixture carries EXIF");
    assert!(exif.get_field(Tag::GPSLatitude, In::PRIMARY).is_some());
    assert!(exif.get_field(Tag::GPSLongitude, In::PRIMARY).is_some());

    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let id = uploaded(&server, &learner).await;

    let stored = files_in(&photos_dir(&workspace), ".jpg");
    assert_eq!(stored.len(), 1, "{stored:?}");
    let on_disk = std::fs::read(&stored[0]).unwrap();
    let name = stored[0].file_stem().unwrap().to_str().unwrap();
    let sha256: String = Sha256::digest(&on_disk)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        name, sha256,
        "files are named by the SHA-256 of their bytes"
    );
    // Orientation 6 turns the 64×48 picture upright, 48×64.
    assert_eq!(assert_clean_jpeg(&on_disk), (48, 64));
    assert!(files_in(&photos_dir(&workspace).join("partial"), "").is_empty());

    let response = get_photo(&server, Some(&learner.token), id).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let cache = response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cache.starts_with("private"), "{cache}");
    let served = response.bytes().await.unwrap();
    assert_eq!(&served[..], &on_disk[..]);
    assert_clean_jpeg(&served);
    server.stop().await;
}

#[tokio::test]
async fn a_large_image_is_shrunk_to_1280_pixels_on_its_longest_side() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let id = Uuid::new_v4();
    let (status, body) = upload(&server, &learner.token, id, &noisy_png(1600, 400)).await;
    assert_eq!(
        (status, body["done"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{body}"
    );
    let served = get_photo(&server, Some(&learner.token), id).await;
    let jpeg = served.bytes().await.unwrap();
    assert_eq!(assert_clean_jpeg(&jpeg), (1280, 320));
    server.stop().await;
}

/// A PNG of pseudo-random pixels: it does not compress, so it takes several chunks.
fn noisy_png(width: u32, height: u32) -> Vec<u8> {
    let mut seed: u32 = 12345;
    let pixels = image::RgbImage::from_fn(width, height, |_, _| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let [a, b, c, _] = seed.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut png = Vec::new();
    pixels
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

#[tokio::test]
async fn files_that_are_not_jpeg_png_or_webp_images_are_refused_and_leave_nothing() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let mut garbage_after_magic = b"\xff\xd8\xff\xe0".to_vec();
    garbage_after_magic.extend(std::iter::repeat_n(0x5a, 2000));
    let refused: [(&str, Vec<u8>); 3] = [
        (
            "a text file called foto.jpg",
            b"Ciao, questa non e' una foto.\n".to_vec(),
        ),
        ("a JPEG cut short", gps_jpeg()[..400].to_vec()),
        ("JPEG magic then garbage", garbage_after_magic),
    ];
    for (what, bytes) in refused {
        let id = Uuid::new_v4();
        let (status, body) = put_chunk(&server, &learner.token, id, 0, bytes.len(), &bytes).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::BAD_REQUEST, Some("not_an_image")),
            "{what}"
        );
        assert_eq!(
            body["error"]["message"],
            "Il file non è un'immagine JPEG, PNG o WebP."
        );
        let (_, progress) = upload_status(&server, &learner.token, id).await;
        assert_eq!(progress, json!({"received": 0, "done": false}), "{what}");
        assert_eq!(
            get_photo(&server, Some(&learner.token), id).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    assert!(files_in(&photos_dir(&workspace), "").is_empty());
    assert!(files_in(&photos_dir(&workspace).join("partial"), "").is_empty());
    assert_eq!(photo_rows(&server).await, 0);
    server.stop().await;
}

async fn photo_rows(server: &TestServer) -> i64 {
    count(server, "SELECT COUNT(*) FROM photos").await
}

async fn upload_rows(server: &TestServer) -> i64 {
    count(server, "SELECT COUNT(*) FROM photo_uploads").await
}

async fn count(server: &TestServer, sql: &str) -> i64 {
    let db = server.store().await;
    let rows = on!(&db, c => sqlx::query_scalar(sql).fetch_one(c).await).unwrap();
    db.close().await;
    rows
}

#[tokio::test]
async fn an_interrupted_upload_resumes_where_it_stopped_and_a_repeated_one_is_stored_once() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let token = &learner.token;
    let photo = noisy_png(600, 400);
    let total = photo.len();
    assert!(total > 2 * CHUNK, "three chunks at least");
    let id = Uuid::new_v4();

    let (status, body) = put_chunk(&server, token, id, 0, total, &photo[..CHUNK]).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"received": CHUNK, "done": false}))
    );
    // The connection dropped and the device lost count: it sends the wrong chunk.
    let third = &photo[2 * CHUNK..(3 * CHUNK).min(total)];
    let (status, body) = put_chunk(&server, token, id, 2 * CHUNK, total, third).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::CONFLICT, Some("wrong_offset"))
    );
    assert_eq!(
        (body["received"].as_u64(), body["done"].as_bool()),
        (Some(CHUNK as u64), Some(false))
    );
    let (status, body) = put_chunk(
        &server,
        token,
        id,
        CHUNK,
        total + 1,
        &photo[CHUNK..2 * CHUNK],
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, Some("bad_request")),
        "total changed"
    );
    let (_, progress) = upload_status(&server, token, id).await;
    assert_eq!(progress, json!({"received": CHUNK, "done": false}));

    let mut offset = progress["received"].as_u64().unwrap() as usize;
    while offset < total {
        let end = (offset + CHUNK).min(total);
        let (status, body) =
            put_chunk(&server, token, id, offset, total, &photo[offset..end]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({"received": end, "done": end == total}));
        offset = end;
    }
    // The device never saw the answer and sends it all again.
    let (status, body) = upload(&server, token, id, &photo).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, json!({"received": total, "done": true}))
    );
    let (_, progress) = upload_status(&server, token, id).await;
    assert_eq!(progress, json!({"received": total, "done": true}));

    assert_eq!(photo_rows(&server).await, 1);
    assert_eq!(files_in(&photos_dir(&workspace), ".jpg").len(), 1);
    assert!(files_in(&photos_dir(&workspace), ".tmp").is_empty());
    assert!(files_in(&photos_dir(&workspace).join("partial"), "").is_empty());
    assert_eq!(
        get_photo(&server, Some(token), id).await.status(),
        StatusCode::OK
    );
    server.stop().await;
}

#[tokio::test]
async fn an_upload_whose_partial_file_was_lost_starts_again_rather_than_leave_a_gap() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let photo = gps_jpeg();
    let id = Uuid::new_v4();
    put_chunk(&server, &learner.token, id, 0, photo.len(), &photo[..500]).await;
    let partial = photos_dir(&workspace).join(format!("partial/{id}.part"));
    std::fs::remove_file(&partial).expect("the partial upload is on disk");

    let (status, body) =
        put_chunk(&server, &learner.token, id, 500, photo.len(), &photo[500..]).await;
    assert_eq!(
        (status, body["received"].as_u64()),
        (StatusCode::CONFLICT, Some(0))
    );
    let (status, body) = upload(&server, &learner.token, id, &photo).await;
    assert_eq!(
        (status, body["done"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    server.stop().await;
}

#[tokio::test]
async fn uploads_abandoned_for_30_days_are_forgotten_at_start_up_with_their_partial_files() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let photo = gps_jpeg();
    let (old, recent, finished) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    for id in [old, recent] {
        put_chunk(&server, &learner.token, id, 0, photo.len(), &photo[..500]).await;
    }
    upload(&server, &learner.token, finished, &photo).await;
    let db = server.store().await;
    for (id, days) in [(old, 31), (recent, 29), (finished, 400)] {
        let updated_at = clock::at(-time::Duration::days(days));
        on!(&db, c => sqlx::query("UPDATE photo_uploads SET updated_at = $1 WHERE id = $2")
            .bind(&updated_at)
            .bind(id.to_string())
            .execute(c)
            .await
            .map(drop))
        .unwrap();
    }
    db.close().await;
    server.stop().await;

    let server = TestServer::start(&workspace.args()).await;
    let partial = |id: Uuid| photos_dir(&workspace).join(format!("partial/{id}.part"));
    assert!(!partial(old).exists(), "the abandoned partial file is gone");
    assert!(partial(recent).exists(), "a recent upload is kept");
    let status = |id| upload_status(&server, &learner.token, id);
    assert_eq!(status(old).await.1, json!({"received": 0, "done": false}));
    assert_eq!(
        status(recent).await.1,
        json!({"received": 500, "done": false})
    );
    assert_eq!(status(finished).await.1["done"], true);
    server.stop().await;
}

#[tokio::test]
async fn photos_and_chunks_over_the_limits_are_refused() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let token = &learner.token;
    let id = Uuid::new_v4();

    let too_big = 2 * 1024 * 1024 + 1;
    let (status, body) = put_chunk(&server, token, id, 0, too_big, b"\xff\xd8").await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large"))
    );
    assert!(
        body["error"]["message"].as_str().unwrap().contains("2 MiB"),
        "{body}"
    );
    let chunk = vec![0; CHUNK + 1];
    let (status, body) = put_chunk(&server, token, id, 0, 2 * CHUNK, &chunk).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("too_large"))
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("256 KiB"),
        "{body}"
    );
    let (status, body) = put_chunk(&server, token, id, 0, 10, &[0; 11]).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::BAD_REQUEST, Some("bad_request")),
        "past total"
    );
    let (status, _) = put_chunk(&server, token, id, 0, 0, &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an empty photo");

    let (_, progress) = upload_status(&server, token, id).await;
    assert_eq!(progress["received"], 0);
    assert!(files_in(&photos_dir(&workspace).join("partial"), "").is_empty());
    assert_eq!(upload_rows(&server).await, 0, "no upload was started");
    server.stop().await;
}

#[tokio::test]
async fn an_account_has_at_most_200_photos() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    for _ in 0..200 {
        let (status, body) = put_chunk(&server, &learner.token, Uuid::new_v4(), 0, 10, b"x").await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = put_chunk(&server, &learner.token, Uuid::new_v4(), 0, 10, b"x").await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, Some("too_many_photos"))
    );
    // Someone else is not affected.
    let other = server.learner().await;
    let (status, _) = put_chunk(&server, &other.token, Uuid::new_v4(), 0, 10, b"x").await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn another_account_can_neither_use_nor_learn_of_a_photo_id() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    let owner = server.join(&code, "Astro").await;
    let other = server.join(&code, "Cometa").await;
    let done = uploaded(&server, &owner).await;
    let started = Uuid::new_v4();
    put_chunk(&server, &owner.token, started, 0, 100, &gps_jpeg()[..50]).await;

    for id in [done, started] {
        let (_, progress) = upload_status(&server, &other.token, id).await;
        assert_eq!(
            progress,
            json!({"received": 0, "done": false}),
            "as if unknown"
        );
        let (status, body) = put_chunk(&server, &other.token, id, 0, 100, &[0; 10]).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::CONFLICT, Some("id_taken"))
        );
        assert!(body.get("received").is_none());
    }
    let (_, progress) = upload_status(&server, &owner.token, started).await;
    assert_eq!(
        progress,
        json!({"received": 50, "done": false}),
        "untouched"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_photo_is_seen_by_its_owner_their_parents_their_educators_and_admins_only() {
    let workspace = Workspace::new();
    let mut args = workspace.args();
    let custom = workspace.dir.path().join("elsewhere");
    args.photos.photos_dir = Some(custom.clone());
    let server = TestServer::start(&args).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let paolo = server.staff(Role::Educator, "Paolo").await;
    let admin = server.staff(Role::Admin, "Anna").await;
    let code = server
        .cohort("Famiglie", "famiglia", &["Maria"])
        .await
        .join_code;
    server.cohort("Famiglie", "famiglia", &["Paolo"]).await;
    let child = server.join(&code, "Luna").await;
    let mum = server.parent(&code, "Mamma di Luna").await;
    let other_parent = server.parent(&code, "Papà di Sole").await;
    let classmate = server.join(&code, "Sole").await;
    server.confirmed_link(&mum, &child).await;

    let id = uploaded(&server, &child).await;
    assert_eq!(files_in(&custom, ".jpg").len(), 1, "--photos-dir is used");
    assert!(files_in(&photos_dir(&workspace), ".jpg").is_empty());

    for (who, account) in [
        ("owner", &child),
        ("linked parent", &mum),
        ("cohort educator", &maria),
        ("admin", &admin),
    ] {
        let response = get_photo(&server, Some(&account.token), id).await;
        assert_eq!(response.status(), StatusCode::OK, "{who}");
    }
    for (who, account) in [
        ("classmate", &classmate),
        ("unlinked parent", &other_parent),
        ("another cohort's educator", &paolo),
    ] {
        let response = get_photo(&server, Some(&account.token), id).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{who}");
    }
    assert_eq!(
        get_photo(&server, None, id).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get_photo(&server, Some(&admin.token), Uuid::new_v4())
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let unfinished = Uuid::new_v4();
    put_chunk(&server, &child.token, unfinished, 0, 100, &gps_jpeg()[..50]).await;
    let response = get_photo(&server, Some(&child.token), unfinished).await;
    assert_eq!(
        response.status(),
        StatusCode::NOT_FOUND,
        "an unfinished upload"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_challenge_submission_names_at_most_three_distinct_photos() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let ids: Vec<String> = (0..4).map(|_| Uuid::new_v4().to_string()).collect();
    let submitted = |data: Value| {
        json!({"id": Uuid::new_v4(), "kind": "challenge_submitted", "activity_id": "demo-sfida",
               "at": "2026-11-25T10:00:00Z", "data": data})
    };
    let text = "Ho costruito un razzo ad acqua.";
    let cases = [
        (json!({"text": text}), "accepted"),
        (json!({"text": text, "photos": []}), "accepted"),
        (json!({"text": text, "photos": ids[..3]}), "accepted"),
        (json!({"text": "x".repeat(4000)}), "accepted"),
        (json!({"text": text, "photos": ids}), "rejected"),
        (
            json!({"text": text, "photos": [ids[0], ids[0]]}),
            "rejected",
        ),
        (json!({"text": text, "photos": ["non-un-uuid"]}), "rejected"),
        (
            json!({"text": text, "photos": [ids[0].to_uppercase()]}),
            "rejected",
        ),
        (json!({"text": text, "photos": [7]}), "rejected"),
        (json!({"text": text, "photos": ids[0]}), "rejected"),
        (json!({"text": "x".repeat(4001)}), "rejected"),
        (json!({"photos": ids[..1]}), "rejected"),
        (json!({"text": text, "luogo": "Lecce"}), "rejected"),
    ];
    for (data, expected) in cases {
        let (status, body) = server
            .push(&learner.token, json!([submitted(data.clone())]))
            .await;
        assert_eq!(status, StatusCode::OK);
        let result = &body["results"][0];
        assert_eq!(result["status"], expected, "{data}");
        if expected == "rejected" {
            assert_eq!(result["error"], "invalid_data", "{data}");
        }
    }
    server.stop().await;
}
