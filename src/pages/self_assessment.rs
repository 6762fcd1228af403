//! The digital-skills self-assessment on a path's page: one question per statement, answered on
//! the programme's 1–4 scale, saved on the phone and synced like any other work.

use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;
use officina_core::self_assessment::{Answers, Moment};
use officina_core::{Lang, SelfAssessment};

#[component]
pub fn SelfAssessmentCard(
    path_id: String,
    moment: Moment,
    questionnaire: SelfAssessment,
    lang: Lang,
) -> impl IntoView {
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
            state.assess_self(&Answers {
                path_id,
                moment,
                answers: given,
            });
            saved.set(true);
        }
    };
    let title = match moment {
        Moment::Before => t(
            lang,
            "Prima di iniziare: come te la cavi con il digitale?",
            "Before you start: how are your digital skills?",
        ),
        Moment::After => t(
            lang,
            "Percorso finito: come te la cavi ora con il digitale?",
            "Path finished: how are your digital skills now?",
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
        <section class="card-plain" aria-labelledby="autovalutazione">
            <h2 id="autovalutazione">{title}</h2>
            <p class="done-banner" role="status" hidden=move || !saved.get()>
                {t(lang, "✓ Grazie! Le tue risposte sono salvate.", "✓ Thank you! Your answers are saved.")}
            </p>
            <form on:change=choose on:submit=submit hidden=move || saved.get()>
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
