// Progressive enhancement only: every page works without this file.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});

// On the person form, fill birth date and sex from an 18-character ID number while they are empty.
// The server does the same when the form is sent, so this is a convenience only.
document.addEventListener("change", function (event) {
  if (event.target.id !== "f-idNumber") return;
  var n = event.target.value.trim().toUpperCase();
  if (n.length === 15 && /^\d{15}$/.test(n)) n = n.slice(0, 6) + "19" + n.slice(6) + "?";
  if (!/^\d{17}[\dX?]$/.test(n)) return;
  var birth = document.getElementById("f-birthDate"), sex = document.getElementById("f-sex");
  if (birth && !birth.value) birth.value = n.slice(6, 10) + "-" + n.slice(10, 12) + "-" + n.slice(12, 14);
  if (sex && !sex.value) sex.value = parseInt(n.charAt(16), 10) % 2 === 1 ? "1" : "2";
});

// The import page polls its progress and reloads when the import has finished (without JS a meta
// refresh does the same).
(function () {
  var box = document.getElementById("import-progress");
  if (!box) return;
  var bar = box.querySelector("progress"), label = box.querySelector(".percent");
  function poll() {
    fetch(box.getAttribute("data-progress"), { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (p) {
      bar.value = p.percent; label.textContent = p.percent + "%";
      if (p.finished) window.location.reload(); else setTimeout(poll, 500);
    }).catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 300);
})();

// On a phone, lists are shown as cards (app.css): each cell is labelled with its column's heading,
// so that "12" reads "租户数：12". The page is complete without it; the labels are a convenience.
(function () {
  document.querySelectorAll("table.list").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    if (!heads.length) return;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (heads[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[i]);
      });
    });
  });
})();

// A print button without inline script: <button type="button" data-print>.
document.addEventListener('click', (e) => { if (e.target.closest && e.target.closest('[data-print]')) window.print(); });
