//! What Officina keeps about the people who use it, why, for how long, who sees it, and how to
//! take it or erase it: in plain words, for teenagers and their parents.

use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;

/// Each heading with its paragraph, Italian and English.
const SECTIONS: [(&str, &str, &str, &str); 6] = [
    (
        "Cosa conserviamo",
        "Il soprannome (non nome e cognome), il gruppo, se hai meno di 14 anni o no (non la data di nascita), un'impronta del PIN (il PIN vero non lo conosce nessuno), le attività che fai, le foto delle sfide (senza posizione né altri dati della fotocamera), i badge e i collegamenti famiglia. Niente email, niente numero di telefono.",
        "What we keep",
        "Your nickname (not your full name), your group, whether you are under 14 (not your birth date), a fingerprint of your PIN (nobody knows the PIN itself), the activities you do, the photos of challenges (without location or other camera data), badges and family links. No email, no phone number.",
    ),
    (
        "Perché",
        "Per ritrovare il tuo lavoro su ogni dispositivo, perché gli educatori possano guardare le sfide e darti i badge, e per contare (senza nomi) quanti ragazzi e genitori ha raggiunto il programma.",
        "Why",
        "So you find your work on every device, so educators can review challenges and give you badges, and to count (without names) how many young people and parents the programme reached.",
    ),
    (
        "Chi lo vede",
        "Tu; gli educatori del tuo gruppo; il genitore collegato con te, dopo che un educatore ha confermato il collegamento (vede le attività in famiglia, le foto e i badge, mai le risposte ai quiz né i tuoi pensieri). I badge escono da Officina solo se lo scegli tu, e per chi ha meno di 14 anni solo con il consenso di un genitore.",
        "Who sees it",
        "You; your group's educators; the parent linked with you, once an educator has confirmed the link (they see family activities, photos and badges, never quiz answers or your thoughts). Badges leave Officina only if you choose so, and under 14 only with a parent's consent.",
    ),
    (
        "Per quanto",
        "Finché il tuo gruppo è in corso e per un anno dopo la fine del percorso; poi il tuo account viene cancellato. Restano solo i conteggi senza nomi dei resoconti (per esempio: quanti ragazzi hanno finito il percorso). Le copie di sicurezza del server si rinnovano ogni notte e ognuna dura 30 giorni: un account cancellato sparisce anche da lì entro un mese.",
        "For how long",
        "While your group runs and for a year after the path ends; then your account is erased. Only the nameless counts of the reports stay (for example: how many young people finished the path). The server's backups are made every night and each lasts 30 days: an erased account leaves them within a month.",
    ),
    (
        "I tuoi diritti",
        "Dal Profilo, nella sezione «I tuoi dati», puoi scaricare tutto quello che conserviamo di te e cancellare il tuo account per sempre. Se hai meno di 14 anni, a cancellarlo è il genitore collegato con te (o l'educatore).",
        "Your rights",
        "In your Profile, under «Your data», you can download everything we keep about you and erase your account for good. If you are under 14, the parent linked with you (or the educator) erases it.",
    ),
    (
        "A chi chiedere",
        "All'educatore del tuo gruppo, o a Pro Officine Mezzogiorno, che organizza il programma Social STEAMcamp a Lecce.",
        "Whom to ask",
        "Your group's educator, or Pro Officine Mezzogiorno, who run the Social STEAMcamp programme in Lecce.",
    ),
];

#[component]
pub fn PrivacyPage() -> impl IntoView {
    let lang = expect_context::<AppState>().lang.get_untracked();
    let sections = SECTIONS
        .iter()
        .map(|(it_title, it_text, en_title, en_text)| {
            view! {
                <section>
                    <h2>{t(lang, it_title, en_title)}</h2>
                    <p>{t(lang, it_text, en_text)}</p>
                </section>
            }
        })
        .collect_view();
    // Its heading is the app's, shown before this part arrives (see `app::lazy_screen`).
    view! {
        {sections}
        <p><a href="/profilo">{t(lang, "Torna al profilo", "Back to the profile")}</a></p>
    }
}
