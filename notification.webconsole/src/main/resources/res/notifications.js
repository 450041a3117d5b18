// Notifications page: show the fields of the chosen SMTP server and the fields that depend on another field's value.
// Nothing is cleared: hidden fields keep what was typed, so switching options or clouds loses nothing.
(function () {
  'use strict';
  var server = document.getElementById('server');
  if (!server) {
    return;
  }
  var presets = { 'outlook-usgov': 'usgov-gcchigh' };
  function update() {
    var chosen = server.value;
    var sets = document.querySelectorAll('fieldset[data-options]');
    for (var i = 0; i < sets.length; i++) {
      sets[i].hidden = sets[i].getAttribute('data-options').split(' ').indexOf(chosen) < 0;
    }
    var rows = document.querySelectorAll('[data-shown-when]');
    for (var j = 0; j < rows.length; j++) {
      var condition = rows[j].getAttribute('data-shown-when').split('=');
      var field = document.getElementById(condition[0]);
      rows[j].hidden = !field || field.value !== condition[1];
    }
  }
  server.addEventListener('change', function () {
    var cloud = document.getElementById('oauth-microsoft-cloud');
    if (cloud && presets[server.value] && cloud.value.indexOf('usgov') !== 0) {
      cloud.value = presets[server.value];
    } else if (cloud && server.value === 'outlook' && cloud.value.indexOf('usgov') === 0) {
      cloud.value = 'global';
    }
    update();
  });
  var selects = document.querySelectorAll('#settings-form select');
  for (var k = 0; k < selects.length; k++) {
    selects[k].addEventListener('change', update);
  }
  var confirms = document.querySelectorAll('button[data-confirm]');
  for (var m = 0; m < confirms.length; m++) {
    confirms[m].addEventListener('click', function (event) {
      if (!window.confirm(event.currentTarget.getAttribute('data-confirm'))) {
        event.preventDefault();
      }
    });
  }
  update();

  // While the first transport is not yet tested (its automatic check runs in the background after Apply or a
  // sign-in), follow the JSON status and show the new state as soon as it is known.
  var line = document.getElementById('status-line');
  var page = document.getElementById('nt-page');
  var edited = false;
  document.getElementById('settings-form').addEventListener('input', function () {
    edited = true;
  });
  // Replaces the status section with the server's current one; the one-time banners above it and the form stay.
  var refreshStatus = function () {
    var request = new XMLHttpRequest();
    request.open('GET', window.location.pathname + window.location.search);
    request.onload = function () {
      var fresh = request.status === 200
          ? new DOMParser().parseFromString(request.responseText, 'text/html').getElementById('nt-status') : null;
      var shown = document.getElementById('nt-status');
      if (fresh && shown) {
        shown.replaceWith(document.importNode(fresh, true));
      } else if (!edited) {
        window.location.reload();
      }
    };
    request.send();
  };
  if (line && page && line.getAttribute('data-verified') === 'false' && line.getAttribute('data-state') === 'OK') {
    var polls = 0;
    var poll = function () {
      polls++;
      var request = new XMLHttpRequest();
      request.open('GET', page.getAttribute('data-json'));
      request.onload = function () {
        var current = request.status === 200 ? JSON.parse(request.responseText).transport : null;
        if (current && current.name === line.getAttribute('data-name')
            && (current.verified || current.state !== line.getAttribute('data-state'))) {
          refreshStatus();
          return;
        }
        if (polls < 40) {
          window.setTimeout(poll, 1500);
        }
      };
      request.send();
    };
    window.setTimeout(poll, 1500);
  }
}());
