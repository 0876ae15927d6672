// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QFile>
#include <QTest>

#include "core/settings.h"
#include "tests/support/tempdatadir.h"

using namespace brieflow;

class TestSettings : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsWhenFileIsNew();
    void valuesRoundTripThroughTheFile();
    void wrongTypeFallsBackToDefault();
    void resetRestoresDefault();
};

void TestSettings::defaultsWhenFileIsNew()
{
    test::TempDataDir dir;
    Settings s(dir.filePath(QStringLiteral("s.ini")));
    QCOMPARE(s.value(Settings::MaxConcurrentJobs), 4);
    QCOMPARE(s.value(Settings::PollBudgetPerSecond), 40);
    QCOMPARE(s.value(Settings::ConceptModel), QStringLiteral("meta/meta-llama-3-8b-instruct"));
    QCOMPARE(s.value(Settings::ImageModel), QStringLiteral("black-forest-labs/flux-schnell"));
    QCOMPARE(s.value(Settings::ApiBaseUrl), QStringLiteral("https://api.replicate.com"));
}

void TestSettings::valuesRoundTripThroughTheFile()
{
    test::TempDataDir dir;
    const QString file = dir.filePath(QStringLiteral("s.ini"));
    {
        Settings s(file);
        s.setValue(Settings::MaxConcurrentJobs, 2);
        s.setValue(Settings::ImageModel, QStringLiteral("owner/other-model"));
        QVERIFY(s.sync());
    }
    Settings reopened(file);
    QCOMPARE(reopened.value(Settings::MaxConcurrentJobs), 2);
    QCOMPARE(reopened.value(Settings::ImageModel), QStringLiteral("owner/other-model"));
    QFile raw(file);
    QVERIFY(raw.open(QIODevice::ReadOnly));
    QVERIFY(raw.readAll().contains("maxConcurrentJobs=2"));
}

void TestSettings::wrongTypeFallsBackToDefault()
{
    test::TempDataDir dir;
    const QString file = dir.filePath(QStringLiteral("s.ini"));
    QFile raw(file);
    QVERIFY(raw.open(QIODevice::WriteOnly));
    raw.write("[engine]\nmaxConcurrentJobs=lots\n");
    raw.close();
    Settings s(file);
    QCOMPARE(s.value(Settings::MaxConcurrentJobs), 4);
}

void TestSettings::resetRestoresDefault()
{
    test::TempDataDir dir;
    Settings s(dir.filePath(QStringLiteral("s.ini")));
    s.setValue(Settings::PollBudgetPerSecond, 10);
    QCOMPARE(s.value(Settings::PollBudgetPerSecond), 10);
    s.reset(Settings::PollBudgetPerSecond);
    QCOMPARE(s.value(Settings::PollBudgetPerSecond), 40);
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
