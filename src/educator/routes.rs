//! The workspace's screens and their URLs, all under `/educator/` (the server gives every path
//! there the workspace's page). Navigation is the learner app's router, with these screens.

use crate::routes::Screens;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    Cohorts,
    NewCohort,
    Cohort(String),
    Reviews(String),
    Dashboard(String),
    CohortImpact(String),
    Families(String),
    Impact,
    Staff,
    NotFound,
}

impl Screens for Screen {
    fn parse(pathname: &str) -> Self {
        let parts: Vec<&str> = pathname.split('/').filter(|p| !p.is_empty()).collect();
        let id = |id: &&str| (*id).to_owned();
        match parts.as_slice() {
            ["educator"] => Self::Cohorts,
            ["educator", "gruppi", "nuovo"] => Self::NewCohort,
            ["educator", "gruppi", cohort] => Self::Cohort(id(cohort)),
            ["educator", "gruppi", cohort, "revisioni"] => Self::Reviews(id(cohort)),
            ["educator", "gruppi", cohort, "cruscotto"] => Self::Dashboard(id(cohort)),
            ["educator", "gruppi", cohort, "impatto"] => Self::CohortImpact(id(cohort)),
            ["educator", "gruppi", cohort, "famiglie"] => Self::Families(id(cohort)),
            ["educator", "impatto"] => Self::Impact,
            ["educator", "educatori"] => Self::Staff,
            _ => Self::NotFound,
        }
    }
}

impl Screen {
    /// The screen's URL, for links.
    pub fn href(&self) -> String {
        match self {
            Self::Cohorts | Self::NotFound => "/educator/".into(),
            Self::NewCohort => "/educator/gruppi/nuovo".into(),
            Self::Cohort(id) => format!("/educator/gruppi/{id}"),
            Self::Reviews(id) => format!("/educator/gruppi/{id}/revisioni"),
            Self::Dashboard(id) => format!("/educator/gruppi/{id}/cruscotto"),
            Self::CohortImpact(id) => format!("/educator/gruppi/{id}/impatto"),
            Self::Families(id) => format!("/educator/gruppi/{id}/famiglie"),
            Self::Impact => "/educator/impatto".into(),
            Self::Staff => "/educator/educatori".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_screen_has_a_url_that_leads_back_to_it() {
        let id = "c-1".to_owned();
        for screen in [
            Screen::Cohorts,
            Screen::NewCohort,
            Screen::Cohort(id.clone()),
            Screen::Reviews(id.clone()),
            Screen::Dashboard(id.clone()),
            Screen::CohortImpact(id.clone()),
            Screen::Families(id),
            Screen::Impact,
            Screen::Staff,
        ] {
            assert_eq!(Screen::parse(&screen.href()), screen);
        }
    }

    #[test]
    fn other_paths_are_not_found() {
        assert_eq!(Screen::parse("/educator"), Screen::Cohorts);
        assert_eq!(Screen::parse("/"), Screen::NotFound);
        assert_eq!(Screen::parse("/educator/gruppi"), Screen::NotFound);
        assert_eq!(Screen::parse("/educator/gruppi/c/altro"), Screen::NotFound);
    }
}
