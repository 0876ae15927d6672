// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// ZIP bundles written with libzip and read back with libzip: entries, compression, refusals,
// cancel and a real failing write (RLIMIT_FSIZE) that must leave nothing behind.
#include <csignal>

#include <QDir>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "core/export/zipbundle.h"
#include "tests/support/filesizelimit.h"

#include <sys/resource.h>

using namespace brieflow;

using brieflow::test::FileSizeLimit;

namespace {

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator random(seed);
    random.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

QStringList everything(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::System
                                  | QDir::NoDotAndDotDot);
}

QList<ZipEntry> sampleEntries()
{
    const QByteArray json =
        QJsonDocument::fromVariant(
            QVariantMap{{QStringLiteral("schema"), QStringLiteral("brieflow.lineage/1")},
                        {QStringLiteral("text"), QString(4000, QLatin1Char('a'))}})
            .toJson();
    return {
        {QStringLiteral("Café Ñandú-01.png"), randomBytes(300 * 1024, 1), false},
        {QStringLiteral("Café Ñandú-01.json"), json, true},
        {QStringLiteral("抹茶ラテ-01.webp"), randomBytes(3 * 1024 * 1024, 2), false},
        {QStringLiteral("empty.txt"), QByteArray(), false},
    };
}

/** The error text of a Result, empty when it is ok (QVERIFY2 evaluates its message always). */
template<typename R>
QByteArray errorText(const R &result)
{
    if (result.ok())
        return {};
    if constexpr (std::is_same_v<std::decay_t<decltype(result.error())>, QString>)
        return result.error().toUtf8();
    else
        return result.error().message.toUtf8();
}

} // namespace

class TestZipBundle : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTripsEntries();
    void jsonIsDeflatedImagesStored();
    void refusesAnExistingPath();
    void refusesUnsafeAndDuplicateNames_data();
    void refusesUnsafeAndDuplicateNames();
    void canceledBeforeLeavesNothing();
    void canceledMidwayLeavesNothing();
    void fullDiskLeavesNothing();
};

void TestZipBundle::roundTripsEntries()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bundle.zip"));
    const QList<ZipEntry> entries = sampleEntries();
    QList<double> fractions;
    const auto written =
        writeZip(path, entries, nullptr, [&](double fraction) { fractions << fraction; });
    QVERIFY2(written.ok(), errorText(written).constData());
    QCOMPARE(everything(dir.path()), QStringList{QStringLiteral("bundle.zip")});
    QVERIFY(!fractions.isEmpty());
    QCOMPARE(fractions.last(), 1.0);

    const auto read = readZip(path);
    QVERIFY2(read.ok(), errorText(read).constData());
    QCOMPARE(read->size(), entries.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        QCOMPARE(read->at(i).name, entries.at(i).name);
        QCOMPARE(read->at(i).data.size(), entries.at(i).data.size());
        QVERIFY(read->at(i).data == entries.at(i).data);
    }
}

void TestZipBundle::jsonIsDeflatedImagesStored()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bundle.zip"));
    const QList<ZipEntry> entries = sampleEntries();
    QVERIFY(writeZip(path, entries).ok());
    const auto read = readZip(path);
    QVERIFY(read.ok());
    QCOMPARE(read->at(0).compress, false);
    QCOMPARE(read->at(1).compress, true);
    QCOMPARE(read->at(2).compress, false);
    // Stored entries: the archive is at least as large as the images; the JSON shrank.
    qint64 images = entries.at(0).data.size() + entries.at(2).data.size();
    QVERIFY(QFileInfo(path).size() >= images);
    QVERIFY(QFileInfo(path).size() < images + entries.at(1).data.size());
}

void TestZipBundle::refusesAnExistingPath()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bundle.zip"));
    QFile existing(path);
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write("keep me");
    existing.close();
    const auto written = writeZip(path, sampleEntries());
    QVERIFY(!written.ok());
    QFile check(path);
    QVERIFY(check.open(QIODevice::ReadOnly));
    QCOMPARE(check.readAll(), QByteArray("keep me"));
    QCOMPARE(everything(dir.path()), QStringList{QStringLiteral("bundle.zip")});
}

void TestZipBundle::refusesUnsafeAndDuplicateNames_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::newRow("traversal") << QStringList{QStringLiteral("../evil.png")};
    QTest::newRow("folder") << QStringList{QStringLiteral("a/b.png")};
    QTest::newRow("absolute") << QStringList{QStringLiteral("/etc/passwd")};
    QTest::newRow("backslash") << QStringList{QStringLiteral("..\\evil.png")};
    QTest::newRow("reserved") << QStringList{QStringLiteral("CON.png")};
    QTest::newRow("empty") << QStringList{QString()};
    QTest::newRow("duplicate") << QStringList{QStringLiteral("a.png"), QStringLiteral("b.png"),
                                              QStringLiteral("A.png")};
    QTest::newRow("no entries") << QStringList{};
}

void TestZipBundle::refusesUnsafeAndDuplicateNames()
{
    QFETCH(QStringList, names);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bundle.zip"));
    QList<ZipEntry> entries;
    for (const QString &name : names)
        entries << ZipEntry{name, QByteArray("x"), false};
    const auto written = writeZip(path, entries);
    QVERIFY(!written.ok());
    QVERIFY(!written.error().message.isEmpty());
    QCOMPARE(everything(dir.path()), QStringList());
}

void TestZipBundle::canceledBeforeLeavesNothing()
{
    QTemporaryDir dir;
    std::atomic_bool canceled{true};
    const auto written =
        writeZip(dir.filePath(QStringLiteral("bundle.zip")), sampleEntries(), &canceled);
    QVERIFY(!written.ok());
    QCOMPARE(written.error().kind, ExportWriteError::Kind::Canceled);
    QCOMPARE(everything(dir.path()), QStringList());
}

void TestZipBundle::canceledMidwayLeavesNothing()
{
    QTemporaryDir dir;
    std::atomic_bool canceled{false};
    QList<double> seen;
    auto entries = sampleEntries();
    entries << ZipEntry{QStringLiteral("big.png"), randomBytes(8 * 1024 * 1024, 3), false};
    const auto written = writeZip(dir.filePath(QStringLiteral("bundle.zip")), entries, &canceled,
                                  [&](double fraction) {
                                      seen << fraction;
                                      if (fraction > 0.3)
                                          canceled = true;
                                  });
    QVERIFY(!written.ok());
    QCOMPARE(written.error().kind, ExportWriteError::Kind::Canceled);
    QVERIFY(!seen.isEmpty());
    QVERIFY(seen.last() < 1.0);
    QCOMPARE(everything(dir.path()), QStringList());
}

void TestZipBundle::fullDiskLeavesNothing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bundle.zip"));
    {
        FileSizeLimit limit(1024 * 1024); // the 3 MiB entry can't fit
        QVERIFY(limit.ok());
        const auto written = writeZip(path, sampleEntries());
        QVERIFY(!written.ok());
        QCOMPARE(written.error().kind, ExportWriteError::Kind::DiskFull);
        QVERIFY2(written.error().message.contains(QStringLiteral("bundle.zip")),
                 errorText(written).constData());
    }
    QCOMPARE(everything(dir.path()), QStringList());
    // With the limit gone the same bundle is written.
    const auto again = writeZip(path, sampleEntries());
    QVERIFY2(again.ok(), errorText(again).constData());
    QCOMPARE(readZip(path)->size(), sampleEntries().size());
}

QTEST_GUILESS_MAIN(TestZipBundle)
#include "tst_zipbundle.moc"
