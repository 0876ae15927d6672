// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The one-page PDF campaign sheet: a valid PDF, one A4 page, the product as its title, the
// images embedded, long texts cut to fit.
#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "core/export/campaignsheet.h"

using namespace brieflow;

namespace {

ImageLineage lineage(int index, int count)
{
    ImageLineage l;
    l.jobId = JobId(QStringLiteral("0192f0c4-7e2a-7b31-9c4d-2f6a1e0b9d11"));
    l.outputId = OutputId::generate();
    l.index = index;
    l.count = count;
    l.brief.productName = QStringLiteral("Solar Lamp Deluxe");
    l.brief.audience = QStringLiteral("Campers who hate batteries");
    l.brief.valueProposition = QStringLiteral("Charges in the sun, lights all night");
    l.brief.tone = QStringLiteral("Playful");
    l.conceptText = QStringLiteral("Headline: Night, sorted.\nIdea: The sun works the day shift.");
    l.imagePrompt = QStringLiteral("A lantern glowing on a tent at dusk, warm light");
    l.models = {ModelUse{QStringLiteral("concept"),
                         QStringLiteral("meta/meta-llama-3-8b-instruct"),
                         QStringLiteral("5a6809ca6288"),
                         QStringLiteral("p1"),
                         1,
                         {},
                         {},
                         {},
                         {}},
                ModelUse{QStringLiteral("image"),
                         QStringLiteral("black-forest-labs/flux-schnell"),
                         QString(),
                         QStringLiteral("p2"),
                         1,
                         {},
                         {},
                         {},
                         {}}};
    return l;
}

QString writeImage(const QTemporaryDir &dir, int index, QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    for (int y = 0; y < size.height(); ++y) {
        for (int x = 0; x < size.width(); ++x)
            image.setPixel(x, y, qRgb((x * 7 + index * 50) % 256, (y * 3) % 256, (x ^ y) % 256));
    }
    const QString file = dir.filePath(QStringLiteral("image-%1.png").arg(index));
    return image.save(file) ? file : QString();
}

CampaignSheet sheetWith(const QTemporaryDir &dir, int count)
{
    CampaignSheet sheet;
    sheet.date = QDate(2026, 4, 7);
    for (int i = 1; i <= count; ++i) {
        sheet.images << lineage(i, count);
        sheet.imageFiles << writeImage(dir, i, QSize(320 + 40 * i, 240));
    }
    return sheet;
}

int pages(const QByteArray &pdf)
{
    static const QRegularExpression page(QStringLiteral("/Type\\s*/Page(?![s\\w])"));
    return static_cast<int>(QString::fromLatin1(pdf).count(page));
}

int images(const QByteArray &pdf)
{
    static const QRegularExpression image(QStringLiteral("/Subtype\\s*/Image"));
    return static_cast<int>(QString::fromLatin1(pdf).count(image));
}

/** An Info entry as Qt writes it: a UTF-16BE string with a BOM, escaped. */
bool hasInfo(const QByteArray &pdf, const QByteArray &key, const QString &title)
{
    QByteArray utf16("\xfe\xff", 2);
    for (const QChar c : title) {
        utf16 += char(c.unicode() >> 8);
        utf16 += char(c.unicode() & 0xff);
    }
    QByteArray escaped;
    for (const char c : utf16) {
        if (c == '(' || c == ')' || c == '\\')
            escaped += '\\';
        escaped += c;
    }
    const QList<QByteArray> forms{QByteArray("/" + key + " (") + escaped + ')',
                                  QByteArray("/" + key + " (") + utf16 + ')',
                                  QByteArray("/" + key + " <") + utf16.toHex().toUpper() + '>',
                                  QByteArray("/" + key + " <") + utf16.toHex() + '>'};
    for (const QByteArray &form : forms) {
        if (pdf.contains(form))
            return true;
    }
    return false;
}

QByteArray render(const CampaignSheet &sheet)
{
    auto pdf = renderCampaignSheet(sheet);
    if (!pdf.ok()) {
        qWarning("%s", qPrintable(pdf.error()));
        return {};
    }
    return pdf.value();
}

} // namespace

class TestCampaignSheet : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void isOneValidPage();
    void embedsEveryImage();
    void titleIsTheProduct();
    void longTextsStayOnOnePage();
    void missingImageIsAnError();
    void needsImages();
};

void TestCampaignSheet::isOneValidPage()
{
    QTemporaryDir dir;
    const QByteArray pdf = render(sheetWith(dir, 2));
    QVERIFY(pdf.startsWith("%PDF-"));
    QVERIFY(pdf.trimmed().endsWith("%%EOF"));
    QVERIFY(pdf.contains("trailer") || pdf.contains("/Type /XRef"));
    QVERIFY(pdf.contains("startxref"));
    QCOMPARE(pages(pdf), 1);
    // A4 portrait: 595 x 842 points.
    static const QRegularExpression a4(
        QStringLiteral("/MediaBox\\s*\\[0 0 595(\\.0*)? 842(\\.0*)?\\]"));
    QVERIFY(a4.match(QString::fromLatin1(pdf)).hasMatch());
}

void TestCampaignSheet::embedsEveryImage()
{
    QTemporaryDir dir;
    const QByteArray one = render(sheetWith(dir, 1));
    const QByteArray four = render(sheetWith(dir, 4));
    QCOMPARE(images(one), 1);
    QCOMPARE(images(four), 4);
    QVERIFY(four.size() > one.size());
    QCOMPARE(pages(four), 1);
}

void TestCampaignSheet::titleIsTheProduct()
{
    QTemporaryDir dir;
    CampaignSheet sheet = sheetWith(dir, 1);
    QVERIFY(hasInfo(render(sheet), "Title", QStringLiteral("Solar Lamp Deluxe")));
    sheet.images[0].brief.productName = QStringLiteral("Café (Ñandú) 抹茶");
    const QByteArray pdf = render(sheet);
    QVERIFY(hasInfo(pdf, "Title", QStringLiteral("Café (Ñandú) 抹茶")));
    QVERIFY(!hasInfo(pdf, "Title", QStringLiteral("Solar Lamp Deluxe")));
    QVERIFY(hasInfo(pdf, "Creator", QStringLiteral("Brieflow")));
}

void TestCampaignSheet::longTextsStayOnOnePage()
{
    QTemporaryDir dir;
    CampaignSheet sheet = sheetWith(dir, 3);
    for (ImageLineage &l : sheet.images) {
        l.brief.brandNotes = QStringLiteral("Lorem ipsum dolor sit amet. ").repeated(40);
        l.brief.valueProposition = QString(600, QLatin1Char('W'));
        l.conceptText = QStringLiteral("A very long concept line.\n").repeated(60);
        l.imagePrompt = QStringLiteral("prompt ").repeated(300);
    }
    const QByteArray pdf = render(sheet);
    QVERIFY(pdf.startsWith("%PDF-"));
    QCOMPARE(pages(pdf), 1);
    QCOMPARE(images(pdf), 3);
}

void TestCampaignSheet::missingImageIsAnError()
{
    QTemporaryDir dir;
    CampaignSheet sheet = sheetWith(dir, 2);
    sheet.imageFiles[1] = dir.filePath(QStringLiteral("gone.png"));
    const auto pdf = renderCampaignSheet(sheet);
    QVERIFY(!pdf.ok());
    QVERIFY(pdf.error().contains(QStringLiteral("image 2")));
}

void TestCampaignSheet::needsImages()
{
    QVERIFY(!renderCampaignSheet(CampaignSheet{}).ok());
    QTemporaryDir dir;
    CampaignSheet sheet = sheetWith(dir, 2);
    sheet.imageFiles.removeLast();
    QVERIFY(!renderCampaignSheet(sheet).ok());
}

QTEST_MAIN(TestCampaignSheet)
#include "tst_campaignsheet.moc"
