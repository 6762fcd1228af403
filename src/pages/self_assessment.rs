//! The digital-skills self-assessment on a path's page: an invitation first ("Rispondi" opens the
//! questionnaire, "Non ora" puts it off until the app's next visit), then one question per
//! statement on the programme's 1–4 scale, saved on the phone and synced like any other work.

use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;
use officina_core::payload::{Answers, Moment};
use officina_core::{Lang, SelfAssessment};
use std::cell::RefCell;
use wasm_bindgen::JsCast;

thread_local! {
    /// The questionnaires put off during this visit (page load), by path and moment.
    static PUT_OFF: RefCell<Vec<(String, Moment)>> = const { RefCell::new(Vec::new()) };
}

#[component]
pub fn SelfAssessmentCard(
    path_id: String,
    moment: Moment,
    questionnaire: SelfAssessment,
    lang: Lang,
) -> impl IntoView {
    let key = (path_id.clone(), moment);
    let put_off = RwSignal::new(PUT_OFF.with_borrow(|p| p.contains(&key)));
    let open = RwSignal::new(false);
    // The button pressed goes away: the questionnaire takes the focus, for screen readers too.
    let answer = move |_| {
        open.set(true);
        request_animation_frame(|| {
            if let Some(form) = document().get_element_by_id("autovalutazione-domande") {
                let _ = form.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        });
    };
    let skip = move |_| {
        PUT_OFF.with_borrow_mut(|p| p.push(key.clone()));
        put_off.set(true);
    };
    let state = expect_context::<AppState>();
    // 0 = not answered yet; the radios are `required`, so the browser asks for every statement.
    let answers = RwSignal::new(vec![0u8; questionnaire.statements.len()]);
    let saved = RwSignal::new(false);
    // One handler for every radio: each one's value is "statement-answer".
    let choose = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if let Some((i, answer)) = value.split_once('-')
            && let (Ok(i), Ok(answer)) = (i.parse::<usize>(), answer.parse())
        {
            answers.update(|a| a.get_mut(i).into_iter().for_each(|slot| *slot = answer));
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let given = answers.get_untracked();
        if !given.contains(&0) {
            let path_id = path_id.clone();
            let answers = Answers {
                path_id,
                moment,
                answers: given,
            };
            saved.set(state.assess_self(&answers).is_ok());
        }
    };
    let title = match moment {
        Moment::Before => t(
            lang,
            "Prima di iniziare: 2 minuti per dirci cosa sai già",
            "Before you start: 2 minutes to tell us what you already know",
        ),
        Moment::After => t(
            lang,
            "Percorso finito: 2 minuti per dirci cosa sai ora",
            "Path finished: 2 minutes to tell us what you know now",
        ),
    };
    let scale = &questionnaire.scale;
    let statements = questionnaire
        .statements
        .iter()
        .enumerate()
        .map(|(i, statement)| {
            let options = scale
                .iter()
                .zip(1u8..)
                .map(|(label, answer)| {
                    view! {
                        <label class="choice">
                            <input type="radio" name=format!("autovalutazione-{i}") value=format!("{i}-{answer}") required/>
                            {label.get(lang).to_owned()}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="choice-row scale">
                    <legend>{statement.get(lang).to_owned()}</legend>
                    {options}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <section class="card-plain" aria-labelledby="autovalutazione" hidden=move || put_off.get()>
            <h2 id="autovalutazione">{title}</h2>
            <div hidden=move || open.get()>
                <p>{t(
                    lang,
                    "Qualche domanda su come te la cavi con il digitale, prima e dopo il percorso. Puoi rispondere anche un'altra volta.",
                    "A few questions on your digital skills, before and after the path. You can answer another time too.",
                )}</p>
                <div class="actions">
                    <button class="button-primary" type="button" on:click=answer>{t(lang, "Rispondi", "Answer")}</button>
                    <button class="button-secondary" type="button" on:click=skip>{t(lang, "Non ora", "Not now")}</button>
                </div>
            </div>
            <p class="done-banner" role="status" hidden=move || !saved.get()>
                {t(lang, "✓ Grazie! Le tue risposte sono salvate.", "✓ Thank you! Your answers are saved.")}
            </p>
            <form id="autovalutazione-domande" tabindex="-1" on:change=choose on:submit=submit hidden=move || saved.get() || !open.get()>
                <p class="hint">
                    {t(
                        lang,
                        "Non è un voto: rispondi sinceramente. Le risposte aiutano a capire se il programma funziona.",
                        "It is not a mark: answer honestly. The answers help us see whether the programme works.",
                    )}
                </p>
                {statements}
                <button class="button-primary" type="submit">{t(lang, "Salva le risposte", "Save my answers")}</button>
            </form>
        </section>
    }
}
