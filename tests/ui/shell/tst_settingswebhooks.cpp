// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Settings ▸ Engine ▸ "Webhooks (advanced)": the defaults, a bad public URL or a non-local
// address without one keeps the dialog open with the problem shown and saves nothing, good
// values are saved; and the GUI session turns the saved values into the engine's config.
#include <QGroupBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QTest>

#include "app/gui/guisession.h"
#include "core/settings.h"
#include "tests/support/tempdatadir.h"
#include "ui/shell/settingsdialog.h"
#include "ui/shell/tokenstore.h"
#include "ui/widgets/fieldmessage.h"

using namespace brieflow;
using ui::SettingsDialog;

class TestSettingsWebhooks : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsAreOffAndLocal();
    void badValuesAreRefusedWithAMessage();
    void goodValuesAreSavedAndReachTheEngineConfig();
};

namespace {

struct Fixture {
    Fixture()
        : settings(dir.paths().settingsFile())
    {
        context.settings = &settings;
        context.paths = dir.paths();
        context.tokens = &store;
        context.token = &token;
    }

    test::TempDataDir dir;
    Settings settings;
    ui::InMemoryTokenStore store;
    ui::SharedToken token;
    SettingsDialog::Context context;
};

} // namespace

void TestSettingsWebhooks::defaultsAreOffAndLocal()
{
    Fixture f;
    SettingsDialog dialog(f.context);
    QVERIFY(dialog.webhooksGroup()->isCheckable());
    QVERIFY(!dialog.webhooksGroup()->isChecked());
    QCOMPARE(dialog.webhookAddress()->text(), QStringLiteral("127.0.0.1"));
    QCOMPARE(dialog.webhookPort()->value(), 8787);
    QVERIFY(dialog.webhookPublicUrl()->text().isEmpty());

    // Off: the engine gets no webhooks.
    EngineHost::Config config;
    gui::applyWebhookSettings(f.settings, config);
    QVERIFY(!config.webhooksEnabled);
}

void TestSettingsWebhooks::badValuesAreRefusedWithAMessage()
{
    Fixture f;
    SettingsDialog dialog(f.context);
    dialog.show();
    dialog.webhooksGroup()->setChecked(true);
    dialog.webhookPublicUrl()->setText(QStringLiteral("http://hooks.example.com/webhooks"));
    dialog.accept();
    QVERIFY(dialog.isVisible()); // not closed
    QVERIFY(dialog.webhookMessage()->hasProblem());
    QCOMPARE(dialog.currentPage(), SettingsDialog::Page::Engine);
    QVERIFY(!f.settings.value(Settings::WebhooksEnabled));

    dialog.webhookPublicUrl()->clear();
    dialog.webhookAddress()->setText(QStringLiteral("0.0.0.0"));
    dialog.apply();
    QVERIFY(dialog.webhookMessage()->hasProblem());
    QVERIFY(!f.settings.value(Settings::WebhooksEnabled));

    dialog.webhookAddress()->setText(QStringLiteral("not an address"));
    dialog.apply();
    QVERIFY(dialog.webhookMessage()->hasProblem());
    QCOMPARE(f.settings.value(Settings::WebhooksListenAddress), QStringLiteral("127.0.0.1"));
}

void TestSettingsWebhooks::goodValuesAreSavedAndReachTheEngineConfig()
{
    Fixture f;
    {
        SettingsDialog dialog(f.context);
        dialog.show();
        dialog.webhooksGroup()->setChecked(true);
        dialog.webhookAddress()->setText(QStringLiteral("0.0.0.0"));
        dialog.webhookPort()->setValue(9100);
        dialog.webhookPublicUrl()->setText(
            QStringLiteral("https://tunnel.example.com/webhooks/replicate"));
        dialog.accept();
        QVERIFY(!dialog.isVisible());
        QVERIFY(!dialog.webhookMessage()->hasProblem());
    }
    QVERIFY(f.settings.value(Settings::WebhooksEnabled));
    QCOMPARE(f.settings.value(Settings::WebhooksListenAddress), QStringLiteral("0.0.0.0"));
    QCOMPARE(f.settings.value(Settings::WebhooksPort), 9100);
    QCOMPARE(f.settings.value(Settings::WebhooksPublicUrl),
             QStringLiteral("https://tunnel.example.com/webhooks/replicate"));

    EngineHost::Config config;
    gui::applyWebhookSettings(f.settings, config);
    QVERIFY(config.webhooksEnabled);
    QCOMPARE(config.webhooks.receiver.address, QHostAddress(QHostAddress::AnyIPv4));
    QCOMPARE(config.webhooks.receiver.port, quint16(9100));
    QCOMPARE(config.webhooks.publicUrl,
             QUrl(QStringLiteral("https://tunnel.example.com/webhooks/replicate")));

    // A hand-edited settings file with a bad URL leaves webhooks off (and says so in the log).
    f.settings.setValue(Settings::WebhooksPublicUrl, QStringLiteral("ftp://nope"));
    EngineHost::Config broken;
    gui::applyWebhookSettings(f.settings, broken);
    QVERIFY(!broken.webhooksEnabled);
}

QTEST_MAIN(TestSettingsWebhooks)
#include "tst_settingswebhooks.moc"
