// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Settings ▸ Cost: the price table editor shows the defaults, edits round-trip through the
// settings file (Settings::ModelPrices / DailyBudgetUsd) and reach costSettingsChanged; bad
// input (not a number, negative, a row without a model, a model twice, a bad budget) keeps the
// dialog open with a clear message and saves nothing.
#include <QDir>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

#include "core/monitoring/pricetable.h"
#include "core/settings.h"
#include "tests/support/tempdatadir.h"
#include "ui/shell/settingsdialog.h"
#include "ui/shell/tokenstore.h"
#include "ui/widgets/fieldmessage.h"

using namespace brieflow;
using ui::SettingsDialog;

class TestSettingsCost : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsTheDefaults();
    void editsRoundTrip();
    void badInputIsRefused_data();
    void badInputIsRefused();
    void restoreDefaults();
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

int rowOfModel(const QTableWidget *table, const QString &model)
{
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->item(row, 0) && table->item(row, 0)->text() == model)
            return row;
    }
    return -1;
}

void setCell(QTableWidget *table, int row, int column, const QString &text)
{
    if (!table->item(row, column))
        table->setItem(row, column, new QTableWidgetItem);
    table->item(row, column)->setText(text);
}

} // namespace

void TestSettingsCost::showsTheDefaults()
{
    Fixture f;
    SettingsDialog dialog(f.context);
    const PriceTable defaults = PriceTable::defaults();
    QCOMPARE(dialog.priceTable()->rowCount(), static_cast<int>(defaults.entries().size()));
    for (const PriceTable::Entry &entry : defaults.entries()) {
        const int row = rowOfModel(dialog.priceTable(), entry.model);
        QVERIFY2(row >= 0, qPrintable(entry.model));
        QCOMPARE(dialog.priceTable()->item(row, 1)->text().toDouble(), entry.usdPerSecond);
    }
    QCOMPARE(dialog.fallbackPrice()->text().toDouble(), defaults.fallbackPerSecond());
    QVERIFY(dialog.dailyBudget()->text().isEmpty()); // no budget
    QCOMPARE(*dialog.editedPrices(), defaults);
    QCOMPARE(*dialog.editedBudget(), 0.0);

    if (const QByteArray dir = qgetenv("BRIEFLOW_UI_GRABS"); !dir.isEmpty()) {
        dialog.dailyBudget()->setText(QStringLiteral("5"));
        dialog.resize(760, 560);
        dialog.showPage(SettingsDialog::Page::Cost);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.grab().save(
            QDir(QString::fromLocal8Bit(dir)).filePath(QStringLiteral("settings-cost.png"))));
    }
}

void TestSettingsCost::editsRoundTrip()
{
    Fixture f;
    {
        SettingsDialog dialog(f.context);
        QSignalSpy spy(&dialog, &SettingsDialog::costSettingsChanged);
        QTableWidget *table = dialog.priceTable();
        // Change a default, add a model, set the fallback and a budget (a "$" is fine).
        setCell(table, rowOfModel(table, QStringLiteral("black-forest-labs/flux-schnell")), 1,
                QStringLiteral("0.0025"));
        dialog.addPriceButton()->click();
        const int added = table->rowCount() - 1;
        setCell(table, added, 0, QStringLiteral("stability-ai/sdxl"));
        setCell(table, added, 1, QStringLiteral("0.000975"));
        dialog.fallbackPrice()->setText(QStringLiteral("0.001"));
        dialog.dailyBudget()->setText(QStringLiteral("$7.50"));
        dialog.apply();
        QVERIFY(!dialog.costMessage()->hasProblem());
        QCOMPARE(spy.size(), 1);
        const auto prices = spy.at(0).at(0).value<PriceTable>();
        QCOMPARE(prices.usdPerSecond(QStringLiteral("black-forest-labs/flux-schnell")), 0.0025);
        QCOMPARE(prices.usdPerSecond(QStringLiteral("stability-ai/sdxl:abc123")), 0.000975);
        QCOMPARE(prices.usdPerSecond(QStringLiteral("meta/meta-llama-3-8b-instruct")), 0.000025);
        QCOMPARE(prices.usdPerSecond(QStringLiteral("someone/unknown")), 0.001);
        QCOMPARE(spy.at(0).at(1).toDouble(), 7.5);
        // Applying again unchanged says nothing.
        dialog.apply();
        QCOMPARE(spy.size(), 1);
    }
    // Stored: a new dialog (and the rest of the app) reads the same back.
    const PriceTable stored = modelPrices(f.settings);
    QCOMPARE(stored.usdPerSecond(QStringLiteral("stability-ai/sdxl")), 0.000975);
    QCOMPARE(stored.fallbackPerSecond(), 0.001);
    QCOMPARE(dailyBudgetUsd(f.settings), 7.5);
    SettingsDialog again(f.context);
    QCOMPARE(*again.editedPrices(), stored);
    QCOMPARE(again.dailyBudget()->text(), QStringLiteral("7.5"));

    // Removing a row: the model then costs the fallback price. An empty budget: none.
    QTableWidget *table = again.priceTable();
    table->setCurrentCell(rowOfModel(table, QStringLiteral("stability-ai/sdxl")), 0);
    again.removePriceButton()->click();
    QCOMPARE(rowOfModel(table, QStringLiteral("stability-ai/sdxl")), -1);
    again.dailyBudget()->clear();
    again.accept();
    QCOMPARE(modelPrices(f.settings).usdPerSecond(QStringLiteral("stability-ai/sdxl")), 0.001);
    QCOMPARE(dailyBudgetUsd(f.settings), 0.0);
}

void TestSettingsCost::badInputIsRefused_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("price");
    QTest::addColumn<QString>("fallback");
    QTest::addColumn<QString>("budget");
    QTest::addColumn<QString>("message");
    const QString ok = QStringLiteral("0.001");
    QTest::newRow("not a number") << QStringLiteral("acme/model") << QStringLiteral("cheap") << ok
                                  << QString()
                                  << QStringLiteral("acme/model: “cheap” is not a number.");
    QTest::newRow("negative") << QStringLiteral("acme/model") << QStringLiteral("-0.002") << ok
                              << QString()
                              << QStringLiteral("acme/model: a price can't be negative.");
    QTest::newRow("no model") << QString() << QStringLiteral("0.002") << ok << QString()
                              << QStringLiteral("has a price but no model");
    QTest::newRow("not a model name") << QStringLiteral("flux") << QStringLiteral("0.002") << ok
                                      << QString() << QStringLiteral("“flux” is not a model name");
    QTest::newRow("twice") << QStringLiteral("black-forest-labs/flux-schnell:v2")
                           << QStringLiteral("0.002") << ok << QString()
                           << QStringLiteral("is in the table twice");
    QTest::newRow("bad fallback") << QString() << QString() << QStringLiteral("1e400") << QString()
                                  << QStringLiteral("Other models: “1e400”");
    QTest::newRow("negative fallback")
        << QString() << QString() << QStringLiteral("-1") << QString()
        << QStringLiteral("Other models: a price can't be negative");
    QTest::newRow("bad budget") << QString() << QString() << ok << QStringLiteral("five")
                                << QStringLiteral("Daily budget: “five” is not a number");
    QTest::newRow("negative budget") << QString() << QString() << ok << QStringLiteral("-3")
                                     << QStringLiteral("Daily budget: it can't be negative");
}

void TestSettingsCost::badInputIsRefused()
{
    QFETCH(QString, model);
    QFETCH(QString, price);
    QFETCH(QString, fallback);
    QFETCH(QString, budget);
    QFETCH(QString, message);
    Fixture f;
    SettingsDialog dialog(f.context);
    QSignalSpy spy(&dialog, &SettingsDialog::costSettingsChanged);
    dialog.show();
    if (!model.isEmpty() || !price.isEmpty()) {
        dialog.addPriceButton()->click();
        const int row = dialog.priceTable()->rowCount() - 1;
        setCell(dialog.priceTable(), row, 0, model);
        setCell(dialog.priceTable(), row, 1, price);
    }
    dialog.fallbackPrice()->setText(fallback);
    dialog.dailyBudget()->setText(budget);
    dialog.accept();
    QVERIFY(dialog.isVisible()); // not closed
    QCOMPARE(dialog.currentPage(), SettingsDialog::Page::Cost);
    QVERIFY(dialog.costMessage()->hasProblem());
    QVERIFY2(dialog.costMessage()->text().contains(message),
             qPrintable(dialog.costMessage()->text()));
    QCOMPARE(spy.size(), 0);
    QVERIFY(f.settings.value(Settings::ModelPrices).isEmpty());
    QCOMPARE(dailyBudgetUsd(f.settings), 0.0);
}

void TestSettingsCost::restoreDefaults()
{
    Fixture f;
    PriceTable custom = PriceTable::defaults();
    QVERIFY(custom.setPrice(QStringLiteral("acme/model"), 0.5));
    f.settings.setValue(Settings::ModelPrices, custom.toJson());
    SettingsDialog dialog(f.context);
    QCOMPARE(*dialog.editedPrices(), custom);
    dialog.restorePricesButton()->click();
    QCOMPARE(*dialog.editedPrices(), PriceTable::defaults());
    dialog.accept();
    // The defaults are stored as "no table": later default changes reach the user.
    QVERIFY(f.settings.value(Settings::ModelPrices).isEmpty());
}

QTEST_MAIN(TestSettingsCost)
#include "tst_settingscost.moc"
