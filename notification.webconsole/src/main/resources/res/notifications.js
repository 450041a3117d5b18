// Notifications page: show the fields of the chosen SMTP server, and the custom-cloud fields when "Custom" is chosen.
(function () {
  'use strict';
  var server = document.getElementById('server');
  var cloud = document.getElementById('oauth-cloud');
  if (!server) {
    return;
  }
  function update() {
    var chosen = server.value;
    var sets = document.querySelectorAll('fieldset[data-options]');
    for (var i = 0; i < sets.length; i++) {
      var options = sets[i].getAttribute('data-options').split(' ');
      sets[i].hidden = options.indexOf(chosen) < 0;
    }
    if (cloud) {
      document.getElementById('custom-cloud-fields').hidden = cloud.value !== 'custom';
      var graph = chosen === 'graph';
      ['oauth-smtpHost', 'oauth-smtpPort', 'oauth-smtpScope'].forEach(function (id) {
        document.getElementById(id).parentNode.hidden = graph;
      });
      ['oauth-graphUrl', 'oauth-graphScope'].forEach(function (id) {
        document.getElementById(id).parentNode.hidden = !graph;
      });
    }
  }
  server.addEventListener('change', function () {
    if (cloud && server.value === 'outlook-usgov' && cloud.value.indexOf('usgov') !== 0) {
      cloud.value = 'usgov-gcchigh';
    } else if (cloud && server.value === 'outlook' && cloud.value.indexOf('usgov') === 0) {
      cloud.value = 'global';
    }
    update();
  });
  if (cloud) {
    cloud.addEventListener('change', update);
  }
  var discards = document.querySelectorAll('button.nt-discard');
  for (var j = 0; j < discards.length; j++) {
    discards[j].addEventListener('click', function (event) {
      if (!window.confirm('Discard this notification? It will not be sent.')) {
        event.preventDefault();
      }
    });
  }
  update();
}());
