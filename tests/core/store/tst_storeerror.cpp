// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QDir>
#include <QSqlError>
#include <QTest>

#include "core/store/storeerror.h"
#include "tests/core/store/storetestutil.h"

using namespace brieflow;

Q_DECLARE_METATYPE(brieflow::StoreError::Kind)

class TestStoreError : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void kindForSqliteCode_data();
    void kindForSqliteCode();
    void messagesNameTheFileAndSayWhatToDo_data();
    void messagesNameTheFileAndSayWhatToDo();
    void sqlErrorKeepsDriverTextForTheLog();
};

void TestStoreError::kindForSqliteCode_data()
{
    using Kind = StoreError::Kind;
    QTest::addColumn<QString>("code");
    QTest::addColumn<Kind>("kind");
    const std::pair<const char *, std::pair<const char *, Kind>> rows[] = {
        {"SQLITE_BUSY", {"5", Kind::Busy}},
        {"SQLITE_BUSY_SNAPSHOT", {"517", Kind::Busy}},
        {"SQLITE_LOCKED", {"6", Kind::Busy}},
        {"SQLITE_READONLY", {"8", Kind::ReadOnly}},
        {"SQLITE_READONLY_DBMOVED", {"1032", Kind::ReadOnly}},
        {"SQLITE_IOERR", {"10", Kind::Io}},
        {"SQLITE_IOERR_WRITE", {"778", Kind::Io}},
        {"SQLITE_IOERR_FSYNC", {"1034", Kind::Io}},
        {"SQLITE_CORRUPT", {"11", Kind::Corrupt}},
        {"SQLITE_NOTADB", {"26", Kind::Corrupt}},
        {"SQLITE_FULL", {"13", Kind::DiskFull}},
        {"SQLITE_CANTOPEN", {"14", Kind::CannotOpen}},
        {"SQLITE_PERM", {"3", Kind::CannotOpen}},
        {"SQLITE_CONSTRAINT_UNIQUE", {"2067", Kind::Constraint}},
        {"SQLITE_CONSTRAINT_TRIGGER (RAISE)", {"1811", Kind::Constraint}},
        {"SQLITE_CONSTRAINT_FOREIGNKEY: the parent is gone", {"787", Kind::NotFound}},
        {"SQLITE_ERROR", {"1", Kind::Query}},
        {"no code", {"", Kind::Query}},
        {"not a number", {"x", Kind::Query}},
    };
    for (const auto &[name, row] : rows)
        QTest::newRow(name) << QString::fromLatin1(row.first) << row.second;
}

void TestStoreError::kindForSqliteCode()
{
    QFETCH(QString, code);
    QFETCH(StoreError::Kind, kind);
    COMPARE_ENUM(storeErrorKindForSqliteCode(code), kind);
}

void TestStoreError::messagesNameTheFileAndSayWhatToDo_data()
{
    using Kind = StoreError::Kind;
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("advice");
    QTest::newRow("CannotOpen") << Kind::CannotOpen << QStringLiteral("allowed to read and write");
    QTest::newRow("Corrupt") << Kind::Corrupt << QStringLiteral("move it aside");
    QTest::newRow("NewerSchema") << Kind::NewerSchema << QStringLiteral("update Brieflow");
    QTest::newRow("MigrationFailed")
        << Kind::MigrationFailed << QStringLiteral("Nothing was changed");
    QTest::newRow("ReadOnly") << Kind::ReadOnly << QStringLiteral("permissions");
    QTest::newRow("Busy") << Kind::Busy << QStringLiteral("Close it");
    QTest::newRow("DiskFull") << Kind::DiskFull << QStringLiteral("Free some space");
    QTest::newRow("Io") << Kind::Io << QStringLiteral("wasn't saved");
    QTest::newRow("NotFound") << Kind::NotFound << QStringLiteral("deleted");
    QTest::newRow("Constraint") << Kind::Constraint << QStringLiteral("wasn't saved");
    QTest::newRow("Query") << Kind::Query << QStringLiteral("wasn't saved");
}

void TestStoreError::messagesNameTheFileAndSayWhatToDo()
{
    QFETCH(StoreError::Kind, kind);
    QFETCH(QString, advice);
    const QString file = QStringLiteral("/home/ünïcode user/Brieflow/brieflow.sqlite3");
    const StoreError error = makeStoreError(kind, file, QStringLiteral("driver text"));
    COMPARE_ENUM(error.kind, kind);
    QCOMPARE(error.file, file);
    QVERIFY2(error.message.contains(QDir::toNativeSeparators(file)), qPrintable(error.message));
    QVERIFY2(error.message.contains(advice), qPrintable(error.message));
    QVERIFY(!error.message.contains(QStringLiteral("driver text")));
    QVERIFY(error.logText().contains(QStringLiteral("driver text")));
    QVERIFY(error.logText().startsWith(toString(kind)));
}

void TestStoreError::sqlErrorKeepsDriverTextForTheLog()
{
    const QSqlError sqlError(QStringLiteral("Unable to fetch row"),
                             QStringLiteral("database or disk is full"), QSqlError::StatementError,
                             QStringLiteral("13"));
    const StoreError error = storeErrorFromSql(sqlError, QStringLiteral("/x/brieflow.sqlite3"),
                                               QStringLiteral("COMMIT"));
    COMPARE_ENUM(error.kind, StoreError::Kind::DiskFull);
    QVERIFY(error.detail.contains(QStringLiteral("COMMIT")));
    QVERIFY(error.detail.contains(QStringLiteral("database or disk is full")));
    QVERIFY(error.detail.contains(QStringLiteral("13")));
    QVERIFY(error.message.contains(QStringLiteral("/x/brieflow.sqlite3")));
}

QTEST_GUILESS_MAIN(TestStoreError)
#include "tst_storeerror.moc"
