// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// encodeWithMetadata() and readEmbeddedMetadata() on the fixture's real PNG, JPEG and WebP files:
// every stored format into every export format, pass-through, quality, hostile text, damaged
// input and two threads at once.
#include <thread>

#include <QBuffer>
#include <QFile>
#include <QImageReader>
#include <QImageWriter>
#include <QLocale>
#include <QTemporaryDir>
#include <QTest>

#include "core/export/imagemetadata.h"
#include "tests/core/export/exportfixture.h"

using namespace brieflow;
using brieflow::test::ExportFixture;

namespace {

const QString trainedAlgorithmicMedia =
    QStringLiteral("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia");

template<typename R>
const char *problem(const R &result)
{
    static thread_local QByteArray text;
    text = result ? QByteArray() : result.error().toUtf8();
    return text.constData();
}

QImage decode(const QByteArray &bytes, QByteArray *format = nullptr)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    if (format)
        *format = reader.format();
    return reader.read();
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

/** The JPEG's entropy-coded scan: everything from the first SOS marker on. */
QByteArray jpegScan(const QByteArray &jpeg)
{
    const qsizetype sos = jpeg.indexOf(QByteArrayView("\xFF\xDA", 2));
    return sos < 0 ? QByteArray() : jpeg.mid(sos);
}

/** The first VP8/VP8L chunk of a WebP file, header included. */
QByteArray webpBitstream(const QByteArray &webp)
{
    for (const char *tag : {"VP8 ", "VP8L"}) {
        const qsizetype at = webp.indexOf(tag);
        if (at >= 12) {
            const auto *p = reinterpret_cast<const uchar *>(webp.constData() + at + 4);
            const qsizetype size = p[0] | (p[1] << 8) | (p[2] << 16) | (p[3] << 24);
            return webp.mid(at, 8 + size);
        }
    }
    return {};
}

/** The keywords of a PNG's text chunks (tEXt, zTXt, iTXt), in file order. */
QList<QByteArray> pngTextChunks(const QByteArray &png)
{
    QList<QByteArray> keys;
    qsizetype at = 8;
    while (at + 12 <= png.size()) {
        const auto *p = reinterpret_cast<const uchar *>(png.constData() + at);
        const qsizetype length = (p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
        const QByteArray type = png.mid(at + 4, 4);
        if (type == "tEXt" || type == "zTXt" || type == "iTXt") {
            const QByteArray data = png.mid(at + 8, length);
            keys << data.left(data.indexOf('\0'));
        }
        at += 12 + length;
    }
    return keys;
}

QString suffixOf(ExportFormat format)
{
    return QLatin1Char('.') + fileExtension(format);
}

} // namespace

class TestImageMetadata : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        const QList<QByteArray> writable = QImageWriter::supportedImageFormats();
        QVERIFY2(writable.contains("webp"),
                 "Qt's WebP plugin (qt6-image-formats-plugins) is missing");
        m_fixture = std::make_unique<ExportFixture>(4);
        QVERIFY2(m_fixture->isValid(), qPrintable(m_fixture->error()));
        QVERIFY(m_out.isValid());
    }

    void formatNames()
    {
        QCOMPARE(toString(ExportFormat::Png), QStringLiteral("png"));
        QCOMPARE(toString(ExportFormat::Jpeg), QStringLiteral("jpeg"));
        QCOMPARE(toString(ExportFormat::Webp), QStringLiteral("webp"));
        QCOMPARE(fileExtension(ExportFormat::Jpeg), QStringLiteral("jpg"));
        QCOMPARE(fileExtension(ExportFormat::Webp), QStringLiteral("webp"));
        QCOMPARE(exportFormatFromString(u"jpg"), std::optional(ExportFormat::Jpeg));
        QCOMPARE(exportFormatFromString(u"JPEG"), std::optional(ExportFormat::Jpeg));
        QCOMPARE(exportFormatFromString(u"png"), std::optional(ExportFormat::Png));
        QCOMPARE(exportFormatFromString(u"webp"), std::optional(ExportFormat::Webp));
        QCOMPARE(exportFormatFromString(u"gif"), std::nullopt);
        QCOMPARE(exportFormatFromString(u""), std::nullopt);
    }

    void everyFormatFromEveryStoredFormat_data()
    {
        QTest::addColumn<QString>("stored");
        QTest::addColumn<int>("format");
        for (const QString &stored :
             {QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("webp")}) {
            for (ExportFormat format : {ExportFormat::Png, ExportFormat::Jpeg, ExportFormat::Webp})
                QTest::addRow("%s to %s", qPrintable(stored), qPrintable(toString(format)))
                    << stored << static_cast<int>(format);
        }
    }

    void everyFormatFromEveryStoredFormat()
    {
        QFETCH(QString, stored);
        QFETCH(int, format);
        const auto target = static_cast<ExportFormat>(format);
        const auto *job = m_fixture->jobWithFormat(stored);
        QVERIFY(job);
        const OutputRecord &source = job->images.constFirst();
        const auto lineage = lineageForOutput(m_fixture->store(), source.id);
        QVERIFY2(lineage, problem(lineage));

        const auto bytes = encodeWithMetadata(source.filePath, *lineage, {target, -1});
        QVERIFY2(bytes, problem(bytes));
        QByteArray decodedFormat;
        const QImage image = decode(*bytes, &decodedFormat);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(source.width, source.height));
        QCOMPARE(QString::fromLatin1(decodedFormat), toString(target));

        const QString file = m_out.filePath(
            QStringLiteral("%1-to-%2%3").arg(stored, toString(target), suffixOf(target)));
        QVERIFY(writeFile(file, *bytes));
        const auto read = readEmbeddedMetadata(file);
        QVERIFY2(read, problem(read));
        QVERIFY(read->lineage);
        QCOMPARE(*read->lineage, *lineage);
        QCOMPARE(read->digitalSourceType, trainedAlgorithmicMedia);
        QCOMPARE(read->description, job->imagePrompt);

        if (target == ExportFormat::Png) {
            // Qt's text chunks survive Exiv2 writing the XMP into the same file.
            // (QImage::text: QImageReader::text splits "brieflow:lineage" at the colon.)
            QCOMPARE(image.text(QStringLiteral("Title")), job->brief.productName);
            QCOMPARE(image.text(QStringLiteral("Description")), job->imagePrompt);
            QCOMPARE(image.text(QStringLiteral("Software")), lineage->generator);
            QCOMPARE(image.text(QStringLiteral("Source")),
                     QStringLiteral("black-forest-labs/flux-schnell"));
            QCOMPARE(image.text(QStringLiteral("Creation Time")),
                     QLocale::c().toString(source.createdAt,
                                           QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")));
            QCOMPARE(pngTextChunks(*bytes).count("Description"), 1);
            const auto chunk =
                lineageFromJson(image.text(QStringLiteral("brieflow:lineage")).toUtf8());
            QVERIFY2(chunk, problem(chunk));
            QCOMPARE(*chunk, *lineage);
            QVERIFY(bytes->contains("XML:com.adobe.xmp"));
        }
        QVERIFY(bytes->contains("trainedAlgorithmicMedia"));
        QVERIFY(bytes->contains("https://brieflow.github.io/ns/lineage/1.0/"));
    }

    void passThroughKeepsTheImageData_data()
    {
        QTest::addColumn<QString>("stored");
        QTest::newRow("png") << QStringLiteral("png");
        QTest::newRow("jpg") << QStringLiteral("jpg");
        QTest::newRow("webp") << QStringLiteral("webp");
    }

    void passThroughKeepsTheImageData()
    {
        QFETCH(QString, stored);
        const auto *job = m_fixture->jobWithFormat(stored);
        QVERIFY(job);
        const OutputRecord &source = job->images.constFirst();
        const auto lineage = lineageForOutput(m_fixture->store(), source.id);
        QVERIFY(lineage);
        const ExportFormat format = *exportFormatFromString(stored);
        const auto bytes = encodeWithMetadata(source.filePath, *lineage, {format, -1});
        QVERIFY2(bytes, problem(bytes));
        const QByteArray original = readAll(source.filePath);
        QVERIFY(*bytes != original); // the metadata was added

        const QImage before = decode(original).convertToFormat(QImage::Format_ARGB32);
        const QImage after = decode(*bytes).convertToFormat(QImage::Format_ARGB32);
        QVERIFY(!before.isNull());
        QCOMPARE(after, before); // pixel for pixel
        if (format == ExportFormat::Jpeg) {
            QVERIFY(!jpegScan(original).isEmpty());
            QCOMPARE(jpegScan(*bytes), jpegScan(original)); // not re-encoded
        } else if (format == ExportFormat::Webp) {
            QVERIFY(!webpBitstream(original).isEmpty());
            QCOMPARE(webpBitstream(*bytes), webpBitstream(original));
        }
    }

    void qualityChangesTheSize_data()
    {
        QTest::addColumn<int>("format");
        QTest::newRow("jpeg") << static_cast<int>(ExportFormat::Jpeg);
        QTest::newRow("webp") << static_cast<int>(ExportFormat::Webp);
    }

    void qualityChangesTheSize()
    {
        QFETCH(int, format);
        const auto target = static_cast<ExportFormat>(format);
        const auto *job = m_fixture->jobWithFormat(QStringLiteral("jpg"));
        const OutputRecord &source = job->images.constFirst();
        const auto lineage = lineageForOutput(m_fixture->store(), source.id);
        QVERIFY(lineage);
        const auto low = encodeWithMetadata(source.filePath, *lineage, {target, 20});
        const auto high = encodeWithMetadata(source.filePath, *lineage, {target, 95});
        QVERIFY2(low, problem(low));
        QVERIFY2(high, problem(high));
        QVERIFY2(low->size() * 3 / 2 < high->size(),
                 qPrintable(QStringLiteral("%1 vs %2").arg(low->size()).arg(high->size())));
        QCOMPARE(decode(*low).size(), QSize(source.width, source.height));
        // An explicit quality re-encodes even from the same format.
        if (target == ExportFormat::Jpeg)
            QVERIFY(jpegScan(*high) != jpegScan(readAll(source.filePath)));

        const auto bad = encodeWithMetadata(source.filePath, *lineage, {target, 0});
        QVERIFY(!bad);
        QVERIFY2(bad.error().contains(QStringLiteral("quality")), problem(bad));
    }

    void jpegFlattensTransparencyOnWhite()
    {
        const auto *job = m_fixture->jobWithFormat(QStringLiteral("png"));
        const OutputRecord &source = job->images.constFirst();
        const QImage original = decode(readAll(source.filePath));
        QVERIFY(original.hasAlphaChannel());
        QCOMPARE(qAlpha(original.pixel(0, 0)), 64); // dark pixel, mostly transparent
        const auto lineage = lineageForOutput(m_fixture->store(), source.id);
        QVERIFY(lineage);
        const auto bytes = encodeWithMetadata(source.filePath, *lineage, {ExportFormat::Jpeg, 95});
        QVERIFY2(bytes, problem(bytes));
        const QImage jpeg = decode(*bytes);
        const QRgb corner = jpeg.pixel(0, 0);
        // (0,0,0) at alpha 64 over white is about 191 grey; over black it would be 0.
        QVERIFY2(qAbs(qRed(corner) - 191) < 12 && qAbs(qGreen(corner) - 191) < 12
                     && qAbs(qBlue(corner) - 191) < 12,
                 qPrintable(QColor(corner).name()));
    }

    void hostileTextRoundTrips_data()
    {
        QTest::addColumn<int>("format");
        QTest::newRow("png") << static_cast<int>(ExportFormat::Png);
        QTest::newRow("jpeg") << static_cast<int>(ExportFormat::Jpeg);
        QTest::newRow("webp") << static_cast<int>(ExportFormat::Webp);
    }

    void hostileTextRoundTrips()
    {
        QFETCH(int, format);
        const auto target = static_cast<ExportFormat>(format);
        const auto *job = m_fixture->jobWithFormat(QStringLiteral("png"));
        const OutputRecord &source = job->images.constFirst();
        auto lineage = lineageForOutput(m_fixture->store(), source.id);
        QVERIFY(lineage);
        ImageLineage hostile = *lineage;
        hostile.brief.productName = QStringLiteral("A&B <x> \"q\" 'y' ]]> Ñ 🚀");
        hostile.brief.brandNotes = QStringLiteral("<?xml version=\"1.0\"?><!-- x --> &amp; &#0;");
        hostile.conceptText = QStringLiteral(
            "tab\tbell\x07 esc\x1b del\x7f nel\u0085 csi\u009b ls\u2028 cr\r\nend 緑");
        hostile.imagePrompt =
            QStringLiteral("</rdf:Description> <x:xmpmeta> \"quoted\" & 'single' \x01\x1f ok");
        hostile.models[0].version = QStringLiteral("type=Alt lang=\"x-default\"");

        const auto bytes = encodeWithMetadata(source.filePath, hostile, {target, -1});
        QVERIFY2(bytes, problem(bytes));
        QVERIFY(!decode(*bytes).isNull());
        const QString file = m_out.filePath(QStringLiteral("hostile") + suffixOf(target));
        QVERIFY(writeFile(file, *bytes));
        const auto read = readEmbeddedMetadata(file);
        QVERIFY2(read, problem(read));
        QVERIFY(read->lineage);
        QCOMPARE(*read->lineage, hostile); // exact: the JSON escapes every control character
        // XML can't carry C0 controls: the XMP description has spaces there.
        QCOMPARE(read->description,
                 QStringLiteral("</rdf:Description> <x:xmpmeta> \"quoted\" & 'single'    ok"));
    }

    void fileWithoutLineage()
    {
        QImage image(40, 30, QImage::Format_RGB32);
        image.fill(Qt::darkCyan);
        for (const char *format : {"png", "jpeg", "webp"}) {
            const QString file = m_out.filePath(QStringLiteral("plain.") + QLatin1String(format));
            QVERIFY(image.save(file, format));
            const auto read = readEmbeddedMetadata(file);
            QVERIFY2(read, problem(read));
            QVERIFY(!read->lineage);
            QVERIFY(read->digitalSourceType.isEmpty());
        }
    }

    void pngTextChunkAlone()
    {
        // A PNG whose XMP was stripped by another tool still carries the lineage chunk.
        const auto *job = m_fixture->jobWithFormat(QStringLiteral("png"));
        const auto lineage = lineageForOutput(m_fixture->store(), job->images.constFirst().id);
        QVERIFY(lineage);
        const QString file = m_out.filePath(QStringLiteral("textonly.png"));
        QImage image = decode(readAll(job->images.constFirst().filePath));
        image.setText(QStringLiteral("brieflow:lineage"),
                      QString::fromUtf8(lineageToJson(*lineage)));
        image.setText(QStringLiteral("Description"),
                      QStringLiteral("only  a chunk\n\nwith a blank line"));
        QVERIFY(image.save(file, "png"));
        QVERIFY(!readAll(file).contains("XML:com.adobe.xmp"));
        const auto read = readEmbeddedMetadata(file);
        QVERIFY2(read, problem(read));
        QVERIFY(read->lineage);
        QCOMPARE(*read->lineage, *lineage);
        QCOMPARE(read->description, QStringLiteral("only  a chunk\n\nwith a blank line"));
        QVERIFY(read->digitalSourceType.isEmpty());
    }

    void damagedAndForeignFiles()
    {
        const auto missing = readEmbeddedMetadata(m_out.filePath(QStringLiteral("nothing.png")));
        QVERIFY(!missing);
        QVERIFY2(missing.error().contains(QStringLiteral("Can't open")), problem(missing));

        const QString text = m_out.filePath(QStringLiteral("notes.png"));
        QVERIFY(writeFile(text, QByteArrayLiteral("just some text, not an image\n")));
        const auto notImage = readEmbeddedMetadata(text);
        QVERIFY(!notImage);
        QVERIFY2(notImage.error().contains(QStringLiteral("not a PNG, JPEG or WebP")),
                 problem(notImage));

        QImage small(16, 16, QImage::Format_RGB32);
        small.fill(Qt::red);
        const QString bmp = m_out.filePath(QStringLiteral("red.bmp"));
        QVERIFY(small.save(bmp, "bmp"));
        const auto other = readEmbeddedMetadata(bmp);
        QVERIFY(!other);
        QVERIFY2(other.error().contains(QStringLiteral("not a PNG, JPEG or WebP")), problem(other));

        const auto empty = m_out.filePath(QStringLiteral("empty.jpg"));
        QVERIFY(writeFile(empty, {}));
        QVERIFY(!readEmbeddedMetadata(empty));

        for (const QString &stored :
             {QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("webp")}) {
            const auto *job = m_fixture->jobWithFormat(stored);
            const OutputRecord &source = job->images.constFirst();
            const auto lineage = lineageForOutput(m_fixture->store(), source.id);
            QVERIFY(lineage);
            const ExportFormat format = *exportFormatFromString(stored);
            const auto bytes = encodeWithMetadata(source.filePath, *lineage, {format, -1});
            QVERIFY2(bytes, problem(bytes));
            const QString cut = m_out.filePath(QStringLiteral("cut.") + stored);
            QVERIFY(writeFile(cut, bytes->left(bytes->size() * 2 / 3)));
            const auto truncated = readEmbeddedMetadata(cut);
            QVERIFY2(!truncated, qPrintable(stored));
            QVERIFY2(truncated.error().contains(QStringLiteral("incomplete")), problem(truncated));

            // A cut-off stored original is refused too, not exported half grey.
            const auto fromCut = encodeWithMetadata(cut, *lineage, {ExportFormat::Png, -1});
            QVERIFY2(!fromCut, qPrintable(stored));
        }

        const auto *job = m_fixture->jobWithFormat(QStringLiteral("png"));
        const auto lineage = lineageForOutput(m_fixture->store(), job->images.constFirst().id);
        const auto fromText = encodeWithMetadata(text, *lineage, {ExportFormat::Png, -1});
        QVERIFY(!fromText);
        QVERIFY2(fromText.error().contains(text), problem(fromText));
        const auto fromMissing = encodeWithMetadata(m_out.filePath(QStringLiteral("gone.png")),
                                                    *lineage, {ExportFormat::Jpeg, -1});
        QVERIFY(!fromMissing);
        QVERIFY2(fromMissing.error().contains(QStringLiteral("Can't open")), problem(fromMissing));
    }

    void twoThreadsAtOnce()
    {
        struct Work {
            QString source;
            ImageLineage lineage;
            ExportFormat format;
            QString file;
        };
        QList<Work> work;
        int n = 0;
        for (const OutputId &id : m_fixture->outputIds()) {
            const auto lineage = lineageForOutput(m_fixture->store(), id);
            QVERIFY(lineage);
            const auto output = m_fixture->store().output(id);
            QVERIFY(output && output->has_value());
            for (ExportFormat format :
                 {ExportFormat::Png, ExportFormat::Jpeg, ExportFormat::Webp}) {
                work << Work{
                    (*output)->filePath, *lineage, format,
                    m_out.filePath(QStringLiteral("thread-%1%2").arg(n++).arg(suffixOf(format)))};
            }
        }
        QStringList failures[2];
        auto run = [&work, &failures](int thread) {
            for (qsizetype i = thread; i < work.size(); i += 2) {
                const Work &w = work.at(i);
                const auto bytes = encodeWithMetadata(w.source, w.lineage, {w.format, -1});
                if (!bytes) {
                    failures[thread] << bytes.error();
                    continue;
                }
                QFile file(w.file);
                if (!file.open(QIODevice::WriteOnly) || file.write(*bytes) != bytes->size()) {
                    failures[thread] << w.file;
                    continue;
                }
                file.close();
                const auto read = readEmbeddedMetadata(w.file);
                if (!read || !read->lineage || !(*read->lineage == w.lineage))
                    failures[thread] << QStringLiteral("read back %1: %2")
                                            .arg(w.file, read ? QStringLiteral("lineage differs")
                                                              : read.error());
            }
        };
        std::thread first(run, 0);
        std::thread second(run, 1);
        first.join();
        second.join();
        QVERIFY2(failures[0].isEmpty(), qPrintable(failures[0].join(QLatin1Char('\n'))));
        QVERIFY2(failures[1].isEmpty(), qPrintable(failures[1].join(QLatin1Char('\n'))));
        QCOMPARE(work.size(), 7 * 3);
    }

private:
    std::unique_ptr<ExportFixture> m_fixture;
    QTemporaryDir m_out;
};

QTEST_GUILESS_MAIN(TestImageMetadata)
#include "tst_imagemetadata.moc"
