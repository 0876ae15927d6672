// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include "core/monitoring/pricetable.h"

using namespace brieflow;

class TestPriceTable : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsPriceTheDefaultModels()
    {
        const PriceTable table = PriceTable::defaults();
        QCOMPARE(table.usdPerSecond(QStringLiteral("black-forest-labs/flux-schnell")), 0.003);
        QCOMPARE(table.usdPerSecond(QStringLiteral("meta/meta-llama-3-8b-instruct")), 0.000025);
        QCOMPARE(table.usdPerSecond(QStringLiteral("someone/else")), 0.0014);
        QCOMPARE(table.entries().size(), 2);
    }

    void versionsShareTheirModelsPrice()
    {
        PriceTable table;
        QVERIFY(table.setPrice(QStringLiteral("acme/model:v1"), 0.5));
        QCOMPARE(table.usdPerSecond(QStringLiteral("acme/model")), 0.5);
        QCOMPARE(table.usdPerSecond(QStringLiteral("acme/model:v2")), 0.5);
        QCOMPARE(table.entries().constFirst().model, QStringLiteral("acme/model"));
        QVERIFY(table.setPrice(QStringLiteral("acme/model"), 0.25)); // replaces
        QCOMPARE(table.entries().size(), 1);
        table.removePrice(QStringLiteral("acme/model:v9"));
        QVERIFY(table.entries().isEmpty());
    }

    void refusesBadPrices()
    {
        PriceTable table;
        QVERIFY(!table.setPrice(QStringLiteral("a/b"), -1));
        QVERIFY(!table.setPrice(QStringLiteral("a/b"), std::numeric_limits<double>::quiet_NaN()));
        QVERIFY(!table.setPrice(QStringLiteral("a/b"), std::numeric_limits<double>::infinity()));
        QVERIFY(!table.setPrice(QStringLiteral("  "), 1));
        QVERIFY(!table.setFallbackPerSecond(-0.1));
        QVERIFY(table.entries().isEmpty());
    }

    void jsonRoundTrip()
    {
        PriceTable table = PriceTable::defaults();
        table.setPrice(QStringLiteral("acme/model"), 0.125);
        const auto back = PriceTable::fromJson(table.toJson());
        QVERIFY(back);
        QCOMPARE(*back, table);
    }

    void jsonRefusals_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("not json") << QByteArray("prices");
        QTest::newRow("array") << QByteArray("[]");
        QTest::newRow("no fallback") << QByteArray(R"({"models":{}})");
        QTest::newRow("negative fallback") << QByteArray(R"({"fallback_usd_per_second":-1})");
        QTest::newRow("text price")
            << QByteArray(R"({"fallback_usd_per_second":0,"models":{"a/b":"1"}})");
        QTest::newRow("negative price")
            << QByteArray(R"({"fallback_usd_per_second":0,"models":{"a/b":-2}})");
        QTest::newRow("models not object")
            << QByteArray(R"({"fallback_usd_per_second":0,"models":[1]})");
    }
    void jsonRefusals()
    {
        QFETCH(QByteArray, json);
        QString error;
        QVERIFY(!PriceTable::fromJson(json, &error));
        QVERIFY(!error.isEmpty());
    }

    void formatsDollars()
    {
        QCOMPARE(formatUsd(0), QStringLiteral("$0.00"));
        QCOMPARE(formatUsd(1.234), QStringLiteral("$1.23"));
        QCOMPARE(formatUsd(0.42), QStringLiteral("$0.42"));
        QCOMPARE(formatUsd(0.0042), QStringLiteral("$0.0042"));
        QCOMPARE(formatUsd(0.000025), QStringLiteral("$0.000025"));
        QCOMPARE(formatUsd(12.5), QStringLiteral("$12.50"));
    }
};

QTEST_GUILESS_MAIN(TestPriceTable)
#include "tst_pricetable.moc"
