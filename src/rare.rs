//! Screens most learners rarely open. In the learner's page (Cargo feature `split`) each is a
//! `#[lazy]` split point: scripts/split-wasm.sh cuts its code into a chunk of its own, fetched
//! the first time it shows or by [`preload`] once the programme has arrived, and precached by
//! the service worker. Without the feature (tests, the educator page) they are plain functions.
//! A screen shows through `Suspend`: nothing until its chunk has arrived, at once when preloaded.

use crate::api::Assertion;
use leptos::prelude::*;
use officina_core::payload::Moment;
use officina_core::{FamilyTask, Lang, SelfAssessment};

/// Joining a group, signing in again, a forgotten PIN: once per device.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn sign_in_form() -> AnyView {
    view! { <crate::pages::account::SignInForm/> }.into_any()
}

/// Language, space used, sync state, sign out; and the rarer sections below, lazy in turn.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn profile() -> AnyView {
    view! { <crate::pages::profile::ProfilePage/> }.into_any()
}

/// A task done with a parent: only in the family paths.
#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn family_task(activity_id: String, task: FamilyTask) -> AnyView {
    use crate::pages::family_task::FamilyTaskSteps;
    view! { <FamilyTaskSteps activity_id task/> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn privacy() -> AnyView {
    view! { <crate::pages::privacy::PrivacyPage/> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn profiles_section() -> AnyView {
    view! { <crate::pages::profiles_section::ProfilesSection/> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn family_section() -> AnyView {
    view! { <crate::pages::family::FamilySection/> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn my_data_section() -> AnyView {
    view! { <crate::pages::my_data::MyDataSection/> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn parents_home(lang: Lang) -> AnyView {
    crate::pages::parent_home::parents_home(lang).into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn children_badges() -> AnyView {
    view! { <crate::components::children_badges::ChildrenBadges/> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn keep_badge(assertion: Assertion) -> AnyView {
    view! { <crate::components::keep_badge::KeepBadge assertion/> }.into_any()
}

#[cfg_attr(feature = "split", leptos::lazy)]
pub async fn self_assessment(
    path_id: String,
    moment: Moment,
    questionnaire: SelfAssessment,
    lang: Lang,
) -> AnyView {
    use crate::pages::self_assessment::SelfAssessmentCard;
    view! { <SelfAssessmentCard path_id moment questionnaire lang/> }.into_any()
}

/// Fetches every rare screen's chunk at once, so a later open is immediate, offline too.
/// A chunk that cannot be fetched stops the app when its screen opens (Leptos's `#[lazy]` has no
/// error path), so the window before they all arrive is kept as short as the network allows; the
/// photos sent with a challenge, needed offline right after the first visit, are not lazy.
pub fn preload() {
    #[cfg(feature = "split")]
    {
        use leptos::task::spawn_local;
        spawn_local(__preload_sign_in_form());
        spawn_local(__preload_profile());
        spawn_local(__preload_family_task());
        spawn_local(__preload_privacy());
        spawn_local(__preload_profiles_section());
        spawn_local(__preload_family_section());
        spawn_local(__preload_my_data_section());
        spawn_local(__preload_parents_home());
        spawn_local(__preload_children_badges());
        spawn_local(__preload_keep_badge());
        spawn_local(__preload_self_assessment());
    }
}
