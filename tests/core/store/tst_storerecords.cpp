// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include "core/store/records.h"
#include "tests/core/store/storetestutil.h"

using namespace brieflow;

// The status strings are stored in the database: changing one needs a migration.
class TestStoreRecords : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void jobStatusStrings_data();
    void jobStatusStrings();
    void stepStatusStrings_data();
    void stepStatusStrings();
    void callStateStrings_data();
    void callStateStrings();
    void unknownStringsAreRejected_data();
    void unknownStringsAreRejected();
};

void TestStoreRecords::jobStatusStrings_data()
{
    QTest::addColumn<int>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("pending") << int(JobStatus::Pending) << QStringLiteral("pending");
    QTest::newRow("processing") << int(JobStatus::Processing) << QStringLiteral("processing");
    QTest::newRow("succeeded") << int(JobStatus::Succeeded) << QStringLiteral("succeeded");
    QTest::newRow("failed") << int(JobStatus::Failed) << QStringLiteral("failed");
    QTest::newRow("canceled") << int(JobStatus::Canceled) << QStringLiteral("canceled");
    QTest::newRow("needs attention")
        << int(JobStatus::NeedsAttention) << QStringLiteral("needs_attention");
}

void TestStoreRecords::jobStatusStrings()
{
    QFETCH(int, value);
    QFETCH(QString, text);
    const auto status = static_cast<JobStatus>(value);
    QCOMPARE(toString(status), text);
    QVERIFY(jobStatusFromString(text) == status);
}

void TestStoreRecords::stepStatusStrings_data()
{
    QTest::addColumn<int>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("pending") << int(StepStatus::Pending) << QStringLiteral("pending");
    QTest::newRow("processing") << int(StepStatus::Processing) << QStringLiteral("processing");
    QTest::newRow("succeeded") << int(StepStatus::Succeeded) << QStringLiteral("succeeded");
    QTest::newRow("failed") << int(StepStatus::Failed) << QStringLiteral("failed");
    QTest::newRow("canceled") << int(StepStatus::Canceled) << QStringLiteral("canceled");
    QTest::newRow("needs_attention")
        << int(StepStatus::NeedsAttention) << QStringLiteral("needs_attention");
}

void TestStoreRecords::stepStatusStrings()
{
    QFETCH(int, value);
    QFETCH(QString, text);
    const auto status = static_cast<StepStatus>(value);
    QCOMPARE(toString(status), text);
    QVERIFY(stepStatusFromString(text) == status);
}

void TestStoreRecords::callStateStrings_data()
{
    QTest::addColumn<int>("value");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("unsettled");
    QTest::newRow("creating") << int(CallState::Creating) << QStringLiteral("creating") << true;
    QTest::newRow("submitted") << int(CallState::Submitted) << QStringLiteral("submitted") << true;
    QTest::newRow("unknown") << int(CallState::Unknown) << QStringLiteral("unknown") << true;
    QTest::newRow("succeeded") << int(CallState::Succeeded) << QStringLiteral("succeeded") << false;
    QTest::newRow("failed") << int(CallState::Failed) << QStringLiteral("failed") << false;
    QTest::newRow("canceled") << int(CallState::Canceled) << QStringLiteral("canceled") << false;
}

void TestStoreRecords::callStateStrings()
{
    QFETCH(int, value);
    QFETCH(QString, text);
    QFETCH(bool, unsettled);
    const auto state = static_cast<CallState>(value);
    QCOMPARE(toString(state), text);
    QVERIFY(callStateFromString(text) == state);
    QCOMPARE(isUnsettled(state), unsettled);
}

void TestStoreRecords::unknownStringsAreRejected_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("capitalised") << QStringLiteral("Pending");
    QTest::newRow("camel case") << QStringLiteral("needsAttention");
    QTest::newRow("british spelling") << QStringLiteral("cancelled");
    QTest::newRow("trailing space") << QStringLiteral("failed ");
}

void TestStoreRecords::unknownStringsAreRejected()
{
    QFETCH(QString, text);
    QVERIFY(!jobStatusFromString(text));
    QVERIFY(!stepStatusFromString(text));
    QVERIFY(!callStateFromString(text));
}

QTEST_GUILESS_MAIN(TestStoreRecords)
#include "tst_storerecords.moc"
