// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QSet>
#include <QTest>

#include "core/util/ids.h"

using namespace brieflow;

class TestIds : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void generatedIdsAreCanonicalUuidV7();
    void idsSortInCreationOrder();
    void idsAreUnique();
    void timestampIsRecovered();
    void rejectsOtherStrings_data();
    void rejectsOtherStrings();
    void typedIdsCompareByValue();
};

void TestIds::generatedIdsAreCanonicalUuidV7()
{
    const QString id = newSortableId();
    QCOMPARE(id.size(), 36);
    QVERIFY2(isSortableId(id), qPrintable(id));
    QCOMPARE(id.at(14), QLatin1Char('7'));
}

void TestIds::idsSortInCreationOrder()
{
    QStringList ids;
    for (int i = 0; i < 20000; ++i)
        ids << newSortableId();
    QStringList sorted = ids;
    sorted.sort();
    QCOMPARE(sorted, ids);
}

void TestIds::idsAreUnique()
{
    QSet<QString> seen;
    for (int i = 0; i < 20000; ++i)
        seen.insert(newSortableId());
    QCOMPARE(seen.size(), 20000);
}

void TestIds::timestampIsRecovered()
{
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const QString id = newSortableId();
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    const qint64 ts = sortableIdTimestamp(id).toMSecsSinceEpoch();
    QVERIFY(ts >= before);
    QVERIFY(ts <= after + 1); // the counter may borrow one millisecond
}

void TestIds::rejectsOtherStrings_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("empty") << QString();
    QTest::newRow("uuid v4") << QStringLiteral("3b241101-e2bb-4255-8caf-4136c566a962");
    QTest::newRow("uppercase v7") << QStringLiteral("0190A4E2-5B6C-7D3E-8F00-112233445566");
    QTest::newRow("no dashes") << QStringLiteral("0190a4e25b6c7d3e8f00112233445566");
    QTest::newRow("bad variant") << QStringLiteral("0190a4e2-5b6c-7d3e-cf00-112233445566");
    QTest::newRow("replicate prediction id") << QStringLiteral("gm3qorzdhgbfurvjtvhg6dckhu");
}

void TestIds::rejectsOtherStrings()
{
    QFETCH(QString, id);
    QVERIFY(!isSortableId(id));
    QVERIFY(!sortableIdTimestamp(id).isValid());
}

void TestIds::typedIdsCompareByValue()
{
    const JobId a(QStringLiteral("a")), a2(QStringLiteral("a")), b(QStringLiteral("b"));
    QCOMPARE(a, a2);
    QVERIFY(a != b);
    QVERIFY(a < b);
    QVERIFY(JobId().isNull());
    QVERIFY(!JobId::generate().isNull());
    QCOMPARE(qHash(a), qHash(a2));
}

QTEST_GUILESS_MAIN(TestIds)
#include "tst_ids.moc"
