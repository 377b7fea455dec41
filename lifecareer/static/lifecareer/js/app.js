/*
 * lifecareer — progressive enhancement only.  Every page works without this file.
 * No framework, no inline styles: everything it changes is a class or an ARIA
 * attribute styled in app.css.  Translated strings come from data-lc-* attributes
 * that the templates render with {% translate %}.
 */
(function () {
	"use strict";

	var narrow = window.matchMedia ? window.matchMedia("(max-width: 767px)") : null;

	/* 1. Menu button for the header nav on phones ({% block nav %} content
	 *    <nav class="lc-nav">).  Without JS the nav is simply shown. */
	function setupMenu() {
		var header = document.getElementById("krds-header");
		var nav = header && header.querySelector(".lc-nav");
		var tools = header && header.querySelector(".lc-header-tools");
		if (!nav || !tools || !narrow) return;
		if (!nav.id) nav.id = "lc-nav";
		var button = document.createElement("button");
		button.type = "button";
		button.className = "krds-btn medium tertiary lc-menu-toggle";
		button.setAttribute("aria-controls", nav.id);
		button.textContent = header.getAttribute("data-lc-menu-label") || "Menu";
		tools.insertBefore(button, tools.firstChild);

		function setOpen(open) {
			button.setAttribute("aria-expanded", open ? "true" : "false");
			nav.classList.toggle("lc-is-collapsed", !open);
		}
		function sync() {
			button.hidden = !narrow.matches;
			setOpen(!narrow.matches);
		}
		button.addEventListener("click", function () {
			setOpen(button.getAttribute("aria-expanded") !== "true");
		});
		document.addEventListener("keydown", function (event) {
			if (event.key === "Escape" && narrow.matches && button.getAttribute("aria-expanded") === "true") {
				setOpen(false);
				button.focus();
			}
		});
		if (narrow.addEventListener) narrow.addEventListener("change", sync);
		sync();
	}

	/* 2. After a failed submit, move focus to the error summary so screen-reader
	 *    and keyboard users start there (<div class="error-summary" tabindex="-1">). */
	function focusErrorSummary() {
		var summary = document.querySelector(".error-summary");
		if (!summary) return;
		if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
		summary.focus();
	}

	/* 3. "n of N answered" line for forms with Likert items (fieldset.likert).
	 *    Text template from data-lc-answered on <body>: "{answered}" / "{total}". */
	function setupAnsweredCount() {
		var template = document.body.getAttribute("data-lc-answered");
		if (!template) return;
		var forms = document.querySelectorAll("form");
		Array.prototype.forEach.call(forms, function (form) {
			var groups = form.querySelectorAll("fieldset.likert");
			if (groups.length < 2) return;
			var line = document.createElement("p");
			line.className = "lc-answered";
			line.setAttribute("aria-live", "polite");
			var actions = form.querySelector(".form-actions");
			form.insertBefore(line, actions || null);
			function update() {
				var answered = 0;
				Array.prototype.forEach.call(groups, function (group) {
					if (group.querySelector("input:checked")) answered += 1;
				});
				line.textContent = template
					.replace("{answered}", String(answered))
					.replace("{total}", String(groups.length));
			}
			form.addEventListener("change", update);
			update();
		});
	}

	/* 4. Opt-in: <form data-lc-warn-unsaved> asks before leaving the page with
	 *    changes that were not submitted. */
	function setupUnsavedWarning() {
		var forms = document.querySelectorAll("form[data-lc-warn-unsaved]");
		Array.prototype.forEach.call(forms, function (form) {
			var dirty = false;
			form.addEventListener("change", function () { dirty = true; });
			form.addEventListener("submit", function () { dirty = false; });
			window.addEventListener("beforeunload", function (event) {
				if (!dirty) return;
				event.preventDefault();
				event.returnValue = "";
			});
		});
	}

	function init() {
		document.documentElement.classList.add("lc-js");
		setupMenu();
		setupAnsweredCount();
		setupUnsavedWarning();
		focusErrorSummary();
	}

	if (document.readyState === "loading") {
		document.addEventListener("DOMContentLoaded", init);
	} else {
		init();
	}
})();
