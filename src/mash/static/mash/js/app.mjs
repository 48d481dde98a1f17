// Progressive enhancement only: every page works without JavaScript.
import { initAll as initGovuk } from "../../vendor/govuk-frontend/govuk-frontend.min.js";
import { initAll as initMoj } from "../../vendor/moj-frontend/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initGovuk();
initMoj();
