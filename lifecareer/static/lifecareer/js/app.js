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

	/* 3. Autosave: <form data-lc-autosave="URL"> posts each radio choice as it is made
	 *    (item, value, CSRF token) and shows the server's count of saved answers in
	 *    #answered-count, with the template from data-lc-answered on <body>.  Requests
	 *    go one after another so the last count shown is the latest.  Without JS the
	 *    form saves the whole page on 다음/이전. */
	function setupAutosave() {
		var template = document.body.getAttribute("data-lc-answered") || "";
		var forms = document.querySelectorAll("form[data-lc-autosave]");
		Array.prototype.forEach.call(forms, function (form) {
			var url = form.getAttribute("data-lc-autosave");
			var failed = form.getAttribute("data-lc-autosave-failed") || "";
			var token = form.querySelector("input[name=csrfmiddlewaretoken]");
			var line = form.querySelector("#answered-count");
			if (!url || !token || !window.fetch) return;
			var queue = Promise.resolve();
			var pending = 0; /* data-lc-saving while a save is on its way (tests wait on it) */

			function show(text, isError) {
				if (!line) return;
				line.textContent = text;
				line.classList.toggle("lc-is-error", !!isError);
			}
			function send(name, value) {
				var body = "item=" + encodeURIComponent(name) + "&value=" + encodeURIComponent(value);
				return fetch(url, {
					method: "POST",
					credentials: "same-origin",
					headers: {
						"Content-Type": "application/x-www-form-urlencoded",
						"X-CSRFToken": token.value
					},
					body: body
				}).then(function (response) {
					return response.json().then(function (data) {
						if (response.ok) {
							show(template.replace("{answered}", String(data.answered)).replace("{total}", String(data.total)), false);
						} else {
							show(data.error || failed, true);
						}
					});
				}).catch(function () { show(failed, true); });
			}
			form.addEventListener("change", function (event) {
				var input = event.target;
				if (!input || input.type !== "radio" || !input.name) return;
				pending += 1;
				form.setAttribute("data-lc-saving", "true");
				queue = queue.then(function () { return send(input.name, input.value); }).then(function () {
					pending -= 1;
					if (!pending) form.removeAttribute("data-lc-saving");
				});
			});
		});
		/* A page restored from the back/forward cache shows what it showed when left;
		 * load it again so choices and the count are what the draft holds. */
		if (forms.length) {
			window.addEventListener("pageshow", function (event) {
				if (event.persisted) window.location.reload();
			});
		}
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

	/* 5. A part of a form asked only for some answers of a radio group:
	 *    <div data-lc-show-if="NAME" data-lc-show-values="a b"> is shown only while the
	 *    radio NAME has one of those values, and hidden (the hidden attribute) otherwise.
	 *    Without JS it is always shown and the server ignores it when it does not apply. */
	function setupConditionalParts() {
		var parts = document.querySelectorAll("[data-lc-show-if]");
		Array.prototype.forEach.call(parts, function (part) {
			var form = part.closest("form");
			var name = part.getAttribute("data-lc-show-if");
			var values = (part.getAttribute("data-lc-show-values") || "").split(/\s+/);
			if (!form || !name) return;
			function sync() {
				var chosen = form.querySelector("input[type=radio][name='" + name + "']:checked");
				part.hidden = !chosen || values.indexOf(chosen.value) === -1;
			}
			form.addEventListener("change", function (event) {
				if (event.target && event.target.name === name) sync();
			});
			sync();
		});
	}

	function init() {
		document.documentElement.classList.add("lc-js");
		setupMenu();
		setupAutosave();
		setupUnsavedWarning();
		setupConditionalParts();
		focusErrorSummary();
	}

	if (document.readyState === "loading") {
		document.addEventListener("DOMContentLoaded", init);
	} else {
		init();
	}
})();
