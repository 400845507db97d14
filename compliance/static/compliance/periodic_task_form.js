// django-celery-beat's periodic task form: show the chosen crontab's
// translation under the crontab field (the package's inline script, as a
// static file so the Content-Security-Policy allows it; see
// templates/overrides/admin/djcelery/change_periodictask_form.html).
'use strict';
{
    const $ = django.jQuery;
    const script = document.getElementById('periodic-task-overrides');
    const readableCrontabs = JSON.parse(document.getElementById('readable-crontabs').textContent);
    const originalCrontabHelp = script.dataset.crontabHelp;

    const updateCrontabHelp = function(additional) {
        const help = $('.field-crontab .help');
        help.text(originalCrontabHelp);
        help.append($('<br>'), document.createTextNode('Translation: ' + additional));
    };

    $('.field-crontab_translation').hide();
    $('.field-crontab').change(function() {
        updateCrontabHelp(readableCrontabs[$('#id_crontab').val()]);
    });
}
