//! Screens most learners rarely open. In the learner's page (Cargo feature `split`) each is a
//! split point (see `rare!`): scripts/split-wasm.sh cuts its code into a chunk of its own,
//! fetched the first time it shows or by [`preload`] once the programme's screen is painted, and
//! precached by the service worker. Without the feature (tests, the educator page) they are plain
//! functions. A screen shows through `Suspend`: nothing until its chunk has arrived, at once when
//! preloaded. A chunk that cannot be fetched (offline before it was kept) shows a notice instead
//! of stopping the app, and is fetched again the next time its screen opens.

use crate::api::Assertion;
use leptos::prelude::*;
use officina_core::payload::Moment;
use officina_core::{FamilyTask, Lang, Quiz, SelfAssessment};

/// A split point that fails softly: Leptos's `#[lazy]` with wasm-split's `fallible` (under
/// `#[lazy]`, a chunk that cannot be fetched is a panic that stops the whole app).
macro_rules! rare {
    ($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) $body:block) => {
        #[cfg(feature = "split")]
        mod $name {
            use super::*;
            #[leptos::wasm_split::wasm_split(
                $name,
                wasm_split_path = ::leptos::wasm_split,
                preload(#[doc(hidden)] preload),
                return_wrapper(
                    let future = _; { Ok(future.await) }
                    -> Result<AnyView, ::leptos::wasm_split::SplitLoaderError>
                ),
                fallible
            )]
            pub fn load($($arg: $ty),*) -> Pin<Box<dyn Future<Output = AnyView> + Send + Sync>> {
                Box::pin(leptos::__reexports::send_wrapper::SendWrapper::new(async move $body))
            }
        }

        $(#[$doc])*
        #[cfg(feature = "split")]
        pub async fn $name($($arg: $ty),*) -> AnyView {
            $name::load($($arg),*).await.unwrap_or_else(|_| missing())
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name($($arg: $ty),*) -> AnyView $body
    };
}

#[cfg(feature = "split")]
use std::pin::Pin;

/// What a rare screen shows when its chunk could not be fetched.
#[cfg(feature = "split")]
fn missing() -> AnyView {
    let text = crate::i18n::t(
        crate::i18n::stored_lang(),
        "Questa parte dell’app non è ancora sul telefono: collegati a internet e riprova.",
        "This part of the app is not on the phone yet: connect to the internet and try again.",
    );
    view! { <p class="notice notice-error" role="alert">{text}</p> }.into_any()
}

rare! {
    /// A quiz, one question per screen: the largest screen, and every quiz's.
    quiz(activity_id: String, quiz: Quiz) {
        use crate::pages::quiz::QuizRunner;
        view! { <QuizRunner activity_id quiz/> }.into_any()
    }
}

rare! {
    /// Joining a group, signing in again, a forgotten PIN: once per device.
    sign_in_form() {
        view! { <crate::pages::account::SignInForm/> }.into_any()
    }
}

rare! {
    /// Language, space used, sync state, sign out; and the rarer sections below, lazy in turn.
    profile() {
        view! { <crate::pages::profile::ProfilePage/> }.into_any()
    }
}

rare! {
    /// A task done with a parent: only in the family paths.
    family_task(activity_id: String, task: FamilyTask) {
        use crate::pages::family_task::FamilyTaskSteps;
        view! { <FamilyTaskSteps activity_id task/> }.into_any()
    }
}

rare! {
    privacy() {
        view! { <crate::pages::privacy::PrivacyPage/> }.into_any()
    }
}

rare! {
    profiles_section() {
        view! { <crate::pages::profiles_section::ProfilesSection/> }.into_any()
    }
}

rare! {
    family_section() {
        view! { <crate::pages::family::FamilySection/> }.into_any()
    }
}

rare! {
    my_data_section() {
        view! { <crate::pages::my_data::MyDataSection/> }.into_any()
    }
}

rare! {
    parents_home(lang: Lang) {
        crate::pages::parent_home::parents_home(lang).into_any()
    }
}

rare! {
    children_badges() {
        view! { <crate::components::children_badges::ChildrenBadges/> }.into_any()
    }
}

rare! {
    keep_badge(assertion: Assertion) {
        view! { <crate::components::keep_badge::KeepBadge assertion/> }.into_any()
    }
}

rare! {
    self_assessment(path_id: String, moment: Moment, questionnaire: SelfAssessment, lang: Lang) {
        use crate::pages::self_assessment::SelfAssessmentCard;
        view! { <SelfAssessmentCard path_id moment questionnaire lang/> }.into_any()
    }
}

/// Fetches the rare screens' chunks one after another, so a later open is immediate, offline too.
/// One at a time: started together, their instantiations made one long task that delayed the
/// learner's first taps (Lighthouse's total blocking time). The commonest first; one that cannot
/// be fetched now is fetched when its screen opens. The photos sent with a challenge, needed
/// offline right after the first visit, are not lazy.
pub fn preload() {
    #[cfg(feature = "split")]
    leptos::task::spawn_local(async {
        let _ = quiz::preload().await;
        let _ = profile::preload().await;
        let _ = sign_in_form::preload().await;
        let _ = family_task::preload().await;
        let _ = self_assessment::preload().await;
        let _ = keep_badge::preload().await;
        let _ = privacy::preload().await;
        let _ = profiles_section::preload().await;
        let _ = family_section::preload().await;
        let _ = my_data_section::preload().await;
        let _ = parents_home::preload().await;
        let _ = children_badges::preload().await;
    });
}
