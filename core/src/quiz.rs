//! Grading a quiz: the same rules on the phone (feedback, offline) and on the server.

use crate::content::{Question, Quiz};
use crate::figures::percent_of;
use serde::{Deserialize, Serialize};

/// A learner's answer to one question: the indexes of the options chosen, or a number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    Choices(Vec<usize>),
    Number(f64),
}

impl Question {
    pub fn is_correct(&self, answer: &Answer) -> bool {
        match (self, answer) {
            (
                Question::Single { options, .. } | Question::Multiple { options, .. },
                Answer::Choices(chosen),
            ) => {
                let mut sorted = Vec::with_capacity(chosen.len());
                for &index in chosen {
                    crate::sorted::insert_sorted(&mut sorted, index);
                }
                let chosen = sorted;
                let right: Vec<usize> = options
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.correct)
                    .map(|(i, _)| i)
                    .collect();
                chosen == right
            }
            (
                Question::Number {
                    answer, tolerance, ..
                },
                Answer::Number(given),
            ) => (given - answer).abs() <= *tolerance + 1e-9,
            _ => false,
        }
    }
}

/// The result of one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub right: usize,
    pub total: usize,
    /// Whole percent.
    pub percent: u8,
    pub passed: bool,
}

impl Quiz {
    /// Grades `answers` (one per question, in order; a missing answer is wrong).
    pub fn score(&self, answers: &[Option<Answer>]) -> Score {
        let total = self.questions.len();
        let right = self
            .questions
            .iter()
            .zip(answers.iter().chain(std::iter::repeat(&None)))
            .filter(|(q, a)| a.as_ref().is_some_and(|a| q.is_correct(a)))
            .count();
        let percent = percent_of(right, total);
        Score {
            right,
            total,
            percent,
            passed: total > 0 && percent >= self.pass_mark,
        }
    }
}

/// The questions a group got wrong most often: `(question index, how many attempts had it wrong)`,
/// most first (then in quiz order), at most `top`, never one nobody got wrong. A missing answer is
/// wrong, as in [`Quiz::score`].
pub fn most_wrong(
    quiz: &Quiz,
    attempts: &[Vec<Option<Answer>>],
    top: usize,
) -> Vec<(usize, usize)> {
    let mut wrong: Vec<(usize, usize)> = quiz
        .questions
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let count = attempts
                .iter()
                .filter(|answers| {
                    !answers
                        .get(index)
                        .and_then(Option::as_ref)
                        .is_some_and(|a| question.is_correct(a))
                })
                .count();
            (index, count)
        })
        .filter(|(_, count)| *count > 0)
        .collect();
    wrong.sort_by_key(|(index, count)| (std::cmp::Reverse(*count), *index));
    wrong.truncate(top);
    wrong
}

/// A number as people type it on an Italian keyboard (`7,9`, `7.9`, `28 000`) as the plain text a
/// number parser reads, or `None` when it holds anything but digits, one decimal point, a sign and
/// an exponent. The parsing is left to the platform: the app uses the browser's, so that it does
/// not carry Rust's float parser.
pub fn number_text(text: &str) -> Option<String> {
    let normal = text.trim().replace(' ', "").replace(',', ".");
    let plain = normal
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    (plain && normal.chars().any(|c| c.is_ascii_digit())).then_some(normal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Choice;
    use crate::i18n::Localized;

    fn choice(correct: bool) -> Choice {
        Choice {
            text: Localized::it("x"),
            correct,
            feedback: None,
        }
    }

    fn quiz() -> Quiz {
        Quiz {
            pass_mark: 60,
            questions: vec![
                Question::Single {
                    prompt: Localized::it("a"),
                    options: vec![choice(false), choice(true)],
                },
                Question::Multiple {
                    prompt: Localized::it("b"),
                    options: vec![choice(true), choice(false), choice(true)],
                },
                Question::Number {
                    prompt: Localized::it("c"),
                    answer: 7.9,
                    tolerance: 0.1,
                    unit: None,
                    feedback: None,
                },
            ],
        }
    }

    #[test]
    fn grades_each_question_type() {
        let quiz = quiz();
        assert!(quiz.questions[0].is_correct(&Answer::Choices(vec![1])));
        assert!(!quiz.questions[0].is_correct(&Answer::Choices(vec![0])));
        assert!(quiz.questions[1].is_correct(&Answer::Choices(vec![2, 0, 2])));
        assert!(
            !quiz.questions[1].is_correct(&Answer::Choices(vec![0])),
            "every right option is needed"
        );
        assert!(
            !quiz.questions[1].is_correct(&Answer::Choices(vec![0, 1, 2])),
            "no wrong option is allowed"
        );
        assert!(quiz.questions[2].is_correct(&Answer::Number(8.0)));
        assert!(!quiz.questions[2].is_correct(&Answer::Number(8.2)));
        assert!(!quiz.questions[2].is_correct(&Answer::Choices(vec![0])));
    }

    #[test]
    fn scores_against_the_pass_mark() {
        let quiz = quiz();
        let two_right = [
            Some(Answer::Choices(vec![1])),
            Some(Answer::Choices(vec![0, 2])),
            None,
        ];
        assert_eq!(
            quiz.score(&two_right),
            Score {
                right: 2,
                total: 3,
                percent: 66,
                passed: true
            }
        );
        let one_right = [Some(Answer::Choices(vec![1]))];
        assert_eq!(
            quiz.score(&one_right),
            Score {
                right: 1,
                total: 3,
                percent: 33,
                passed: false
            }
        );
    }

    #[test]
    fn finds_the_questions_most_often_wrong() {
        let quiz = quiz();
        let right = || {
            vec![
                Some(Answer::Choices(vec![1])),
                Some(Answer::Choices(vec![0, 2])),
                Some(Answer::Number(7.9)),
            ]
        };
        let mut attempts = vec![right(), right()];
        assert_eq!(most_wrong(&quiz, &attempts, 2), [], "nobody wrong");
        let mut third_wrong = right();
        third_wrong[2] = Some(Answer::Number(9.0));
        let mut first_and_third_wrong = third_wrong.clone();
        first_and_third_wrong[0] = Some(Answer::Choices(vec![0]));
        attempts.extend([third_wrong, first_and_third_wrong, vec![None]]);
        // Question 3: two wrong answers and one missing; questions 1 and 2: missing in the last.
        assert_eq!(most_wrong(&quiz, &attempts, 2), [(2, 3), (0, 2)]);
        assert_eq!(most_wrong(&quiz, &attempts, 5), [(2, 3), (0, 2), (1, 1)]);
    }

    #[test]
    fn reads_numbers_with_a_comma_and_nothing_but_numbers() {
        let read = |text: &str| number_text(text).and_then(|n| n.parse::<f64>().ok());
        assert_eq!(read(" 7,9 "), Some(7.9));
        assert_eq!(read("28 000"), Some(28000.0));
        assert_eq!(read("-1,5e3"), Some(-1500.0));
        for not_a_number in ["tanti", "NaN", "inf", "0x10", "", "-", ".", "7 gatti"] {
            assert_eq!(
                number_text(not_a_number).and_then(|n| n.parse::<f64>().ok()),
                None,
                "{not_a_number}"
            );
        }
        assert_eq!(
            number_text("0x10"),
            None,
            "no hexadecimal for the browser to read"
        );
    }
}
