// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <functional>

#include <QTest>

#include "core/brief/brief.h"
#include "tests/core/brief/brieftestutil.h"

using namespace brieflow;

namespace {

Brief validBrief()
{
    Brief brief;
    brief.productName = QStringLiteral("TrailLite 2");
    brief.audience = QStringLiteral("Weekend trail runners who want one shoe for dirt and road");
    brief.valueProposition = QStringLiteral("The lightest cushioned trail shoe we have made.");
    return brief;
}

Brief with(const std::function<void(Brief &)> &change)
{
    Brief brief = validBrief();
    change(brief);
    return brief;
}

QString repeated(const QString &unit, int times)
{
    QString text;
    for (int i = 0; i < times; ++i)
        text += unit;
    return text;
}

QString ch(char32_t codePoint)
{
    return QString::fromUcs4(&codePoint, 1);
}

const QString rocket = QStringLiteral("🚀");

} // namespace

class TestBriefValidator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validBriefsPass_data();
    void validBriefsPass();
    void problemsAreNamed_data();
    void problemsAreNamed();
    void everyMessageNamesItsField();
    void normalization_data();
    void normalization();
    void textLength_data();
    void textLength();
    void limitsAreInclusive_data();
    void limitsAreInclusive();
    void labelsAndLimits();
    void allowedValuesMatchTheImageModel();
};

void TestBriefValidator::validBriefsPass_data()
{
    QTest::addColumn<Brief>("brief");
    QTest::newRow("required fields only") << validBrief();
    QTest::newRow("every field") << with([](Brief &b) {
        b.tone = QStringLiteral("Energetic, outdoorsy");
        b.brandNotes = QStringLiteral("Always \"TrailLite\" in one word.\nNo neon colours.");
        b.image = {QStringLiteral("16:9"), 4, QStringLiteral("webp")};
    });
    QTest::newRow("emoji in product name")
        << with([](Brief &b) { b.productName = QStringLiteral("TrailLite 2 🚀🏃‍♀️"); });
    QTest::newRow("right-to-left text") << with([](Brief &b) {
        b.audience = QStringLiteral("עדאים שרצים בשבילים ומחפשים נעל קלה");
        b.valueProposition = QStringLiteral("أخف حذاء للجري على الطرق الوعرة");
    });
    QTest::newRow("accents and CJK")
        << with([](Brief &b) { b.productName = QStringLiteral("Café Ñandú 東京"); });
    QTest::newRow("tabs and line breaks in multi-line fields") << with([](Brief &b) {
        b.audience = QStringLiteral("Runners:\n\t- beginners\n\t- ultra runners");
        b.brandNotes = QStringLiteral("Line one\r\nLine two\rLine three");
    });
    QTest::newRow("zero-width joiner inside text")
        << with([](Brief &b) { b.tone = QStringLiteral("family-friendly 👨‍👩‍👧"); });
    QTest::newRow("uppercase format")
        << with([](Brief &b) { b.image.outputFormat = QStringLiteral("PNG"); });
    QTest::newRow("jpeg alias") << with(
        [](Brief &b) { b.image.outputFormat = QStringLiteral("jpeg"); });
    QTest::newRow("empty image options take defaults") << with([](Brief &b) {
        b.image.aspectRatio.clear();
        b.image.outputFormat = QStringLiteral("  ");
    });
    for (const QString &ratio : allowedAspectRatios()) {
        QTest::addRow("aspect ratio %s", qPrintable(ratio))
            << with([&](Brief &b) { b.image.aspectRatio = ratio; });
    }
    for (int count = MinImageCount; count <= MaxImageCount; ++count)
        QTest::addRow("%d images", count) << with([&](Brief &b) { b.image.count = count; });
}

void TestBriefValidator::validBriefsPass()
{
    QFETCH(Brief, brief);
    const BriefIssues issues = validateBrief(brief);
    QVERIFY2(issues.isEmpty(), qPrintable(test::dump(issues)));
}

void TestBriefValidator::problemsAreNamed_data()
{
    QTest::addColumn<Brief>("brief");
    QTest::addColumn<QStringList>("fields");
    QTest::addColumn<QStringList>("keywords");

    const QStringList required{BriefField::ProductName, BriefField::Audience,
                               BriefField::ValueProposition};
    const QStringList isRequired{QStringLiteral("Product name is required."),
                                 QStringLiteral("Audience is required."),
                                 QStringLiteral("Value proposition is required.")};
    const auto allTo = [](const QString &value) {
        return with([&](Brief &b) { b.productName = b.audience = b.valueProposition = value; });
    };
    QTest::newRow("all empty") << Brief() << required << isRequired;
    QTest::newRow("spaces only") << allTo(QStringLiteral("   ")) << required << isRequired;
    QTest::newRow("tabs and newlines only")
        << allTo(QStringLiteral("\t\n \r\n")) << required << isRequired;
    QTest::newRow("no-break spaces only")
        << allTo(repeated(ch(0x00A0), 3)) << required << isRequired;
    QTest::newRow("zero-width characters only")
        << allTo(ch(0x200B) + ch(0xFEFF) + ch(0x200D)) << required << isRequired;
    QTest::newRow("ideographic space only") << allTo(ch(0x3000)) << required << isRequired;

    const QStringList product{BriefField::ProductName};
    const QStringList tone{BriefField::Tone};
    QTest::newRow("line break in product name")
        << with([](Brief &b) { b.productName = QStringLiteral("Trail\nLite"); }) << product
        << QStringList{QStringLiteral("Product name must be on one line")};
    QTest::newRow("Windows line break in product name")
        << with([](Brief &b) { b.productName = QStringLiteral("Trail\r\nLite"); }) << product
        << QStringList{QStringLiteral("one line")};
    QTest::newRow("Unicode line separator in product name") << with([](Brief &b) {
        b.productName = QStringLiteral("Trail") + ch(0x2028) + QStringLiteral("Lite");
    }) << product << QStringList{QStringLiteral("one line")};
    QTest::newRow("tab in product name")
        << with([](Brief &b) { b.productName = QStringLiteral("Trail\tLite"); }) << product
        << QStringList{QStringLiteral("Product name contains a tab — replace it with a space")};
    QTest::newRow("tab in tone") << with([](Brief &b) {
        b.tone = QStringLiteral("calm\tfriendly");
    }) << tone << QStringList{QStringLiteral("Tone contains a tab")};
    QTest::newRow("line break in tone")
        << with([](Brief &b) { b.tone = QStringLiteral("calm\nfriendly"); }) << tone
        << QStringList{QStringLiteral("Tone must be on one line")};

    QTest::newRow("bell in audience")
        << with([](Brief &b) { b.audience = QStringLiteral("Runners\a who hike"); })
        << QStringList{BriefField::Audience}
        << QStringList{QStringLiteral("Audience contains an invisible control character (U+0007) "
                                      "at character 8 — remove it.")};
    QTest::newRow("NUL in value proposition") << with([](Brief &b) {
        b.valueProposition = QStringLiteral("Light") + QChar(0) + QStringLiteral("er");
    }) << QStringList{BriefField::ValueProposition}
                                              << QStringList{QStringLiteral("(U+0000)")};
    QTest::newRow("escape in brand notes")
        << with([](Brief &b) { b.brandNotes = QStringLiteral("\x1b[31mred"); })
        << QStringList{BriefField::BrandNotes}
        << QStringList{QStringLiteral("(U+001B) at character 1")};
    QTest::newRow("DEL in product name")
        << with([](Brief &b) { b.productName = QStringLiteral("Trail\x7fLite"); }) << product
        << QStringList{QStringLiteral("U+007F")};
    QTest::newRow("C1 next-line control in audience") << with([](Brief &b) {
        b.audience = QStringLiteral("Runners") + ch(0x0085) + QStringLiteral("hikers");
    }) << QStringList{BriefField::Audience} << QStringList{QStringLiteral("U+0085")};
    QTest::newRow("several control characters")
        << with([](Brief &b) {
               b.audience = QStringLiteral("a\x01"
                                           "b\x02"
                                           "c\x03");
           })
        << QStringList{BriefField::Audience}
        << QStringList{QStringLiteral(
               "3 invisible control characters, the first (U+0001) at character 2 — remove them")};
    QTest::newRow("tab and control character in product name")
        << with([](Brief &b) { b.productName = QStringLiteral("Trail\tLite\x07"); })
        << QStringList{BriefField::ProductName, BriefField::ProductName}
        << QStringList{QStringLiteral("tab"), QStringLiteral("U+0007")};
    QTest::newRow("broken emoji (lone surrogate)")
        << with([](Brief &b) { b.tone = QStringLiteral("fun ") + QChar(0xD83D); }) << tone
        << QStringList{QStringLiteral("Tone contains a broken character")};

    const auto tooLong = [](const QString &label, int length, int limit) {
        return QStringList{QStringLiteral("%1 is too long: %2 characters, the limit is %3.")
                               .arg(label)
                               .arg(length)
                               .arg(limit)};
    };
    QTest::newRow("product name 81 characters")
        << with([](Brief &b) { b.productName = repeated(QStringLiteral("a"), 81); }) << product
        << tooLong(QStringLiteral("Product name"), 81, 80);
    QTest::newRow("product name 81 emoji")
        << with([](Brief &b) { b.productName = repeated(rocket, 81); }) << product
        << tooLong(QStringLiteral("Product name"), 81, 80);
    QTest::newRow("audience 412 characters")
        << with([](Brief &b) { b.audience = repeated(QStringLiteral("é"), 412); })
        << QStringList{BriefField::Audience} << tooLong(QStringLiteral("Audience"), 412, 300);
    QTest::newRow("value proposition 601 characters")
        << with([](Brief &b) { b.valueProposition = repeated(QStringLiteral("x"), 601); })
        << QStringList{BriefField::ValueProposition}
        << tooLong(QStringLiteral("Value proposition"), 601, 600);
    QTest::newRow("tone 81 characters")
        << with([](Brief &b) { b.tone = repeated(QStringLiteral("t"), 81); }) << tone
        << tooLong(QStringLiteral("Tone"), 81, 80);
    QTest::newRow("brand notes 1001 characters") << with([](Brief &b) {
        b.brandNotes = repeated(QStringLiteral("n"), 1001);
    }) << QStringList{BriefField::BrandNotes} << tooLong(QStringLiteral("Brand notes"), 1001, 1000);

    const QStringList ratio{BriefField::AspectRatio};
    QTest::newRow("aspect ratio 16x9")
        << with([](Brief &b) { b.image.aspectRatio = QStringLiteral("16x9"); }) << ratio
        << QStringList{QStringLiteral("Aspect ratio must be one of 1:1, 16:9, 21:9, 3:2, 2:3, "
                                      "4:5, 5:4, 3:4, 4:3, 9:16, 9:21; got \"16x9\". Did you "
                                      "mean \"16:9\"?")};
    QTest::newRow("aspect ratio 16 / 9")
        << with([](Brief &b) { b.image.aspectRatio = QStringLiteral("16 / 9"); }) << ratio
        << QStringList{QStringLiteral("Did you mean \"16:9\"?")};
    QTest::newRow("aspect ratio 17:9")
        << with([](Brief &b) { b.image.aspectRatio = QStringLiteral("17:9"); }) << ratio
        << QStringList{QStringLiteral("got \"17:9\".")};
    QTest::newRow("aspect ratio in words")
        << with([](Brief &b) { b.image.aspectRatio = QStringLiteral("landscape"); }) << ratio
        << QStringList{QStringLiteral("must be one of")};
    for (int count : {0, 5, -1, 100}) {
        QTest::addRow("count %d", count)
            << with([&](Brief &b) { b.image.count = count; }) << QStringList{BriefField::ImageCount}
            << QStringList{
                   QStringLiteral("Number of images must be from 1 to 4; got %1.").arg(count)};
    }
    QTest::newRow("format gif")
        << with([](Brief &b) { b.image.outputFormat = QStringLiteral("gif"); })
        << QStringList{BriefField::OutputFormat}
        << QStringList{QStringLiteral("Image format must be one of webp, jpg, png; got \"gif\".")};
    QTest::newRow("format with a dot")
        << with([](Brief &b) { b.image.outputFormat = QStringLiteral(".png"); })
        << QStringList{BriefField::OutputFormat}
        << QStringList{QStringLiteral("Did you mean \"png\"?")};

    QTest::newRow("everything wrong at once")
        <<
        [] {
            Brief b;
            b.productName = QStringLiteral("A\nB");
            b.tone = repeated(QStringLiteral("x"), 90);
            b.brandNotes = QStringLiteral("\x07");
            b.image = {QStringLiteral("square"), 9, QStringLiteral("bmp")};
            return b;
        }()
        << QStringList{BriefField::ProductName,      BriefField::Audience,
                       BriefField::ValueProposition, BriefField::Tone,
                       BriefField::BrandNotes,       BriefField::AspectRatio,
                       BriefField::ImageCount,       BriefField::OutputFormat}
        << QStringList{QStringLiteral("one line"), QStringLiteral("required"),
                       QStringLiteral("required"), QStringLiteral("too long"),
                       QStringLiteral("U+0007"),   QStringLiteral("square"),
                       QStringLiteral("got 9"),    QStringLiteral("bmp")};
}

void TestBriefValidator::problemsAreNamed()
{
    QFETCH(Brief, brief);
    QFETCH(QStringList, fields);
    QFETCH(QStringList, keywords);
    BRIEF_VERIFY_ISSUES(validateBrief(brief), fields, keywords);
}

void TestBriefValidator::everyMessageNamesItsField()
{
    Brief brief;
    brief.productName = QStringLiteral("x\ty");
    brief.tone = QStringLiteral("\x01");
    brief.brandNotes = repeated(QStringLiteral("n"), 2000);
    brief.image = {QStringLiteral("2:1"), 0, QStringLiteral("tiff")};
    const BriefIssues issues = validateBrief(brief);
    QCOMPARE(issues.size(), 8);
    for (const BriefIssue &issue : issues) {
        QVERIFY2(issue.message.startsWith(briefFieldLabel(issue.field)), qPrintable(issue.message));
        QVERIFY2(issue.message.endsWith(QLatin1Char('.'))
                     || issue.message.endsWith(QLatin1Char('?')),
                 qPrintable(issue.message));
        QVERIFY(!issue.message.contains(QLatin1String("invalid value"), Qt::CaseInsensitive));
    }
}

void TestBriefValidator::normalization_data()
{
    QTest::addColumn<Brief>("input");
    QTest::addColumn<Brief>("expected");

    QTest::newRow("already normal") << validBrief() << validBrief();
    QTest::newRow("spaces and tabs trimmed, inner ones kept")
        << with([](Brief &b) { b.productName = QStringLiteral("\t  Trail  Lite 2 \n"); })
        << with([](Brief &b) { b.productName = QStringLiteral("Trail  Lite 2"); });
    QTest::newRow("no-break and zero-width spaces trimmed") << with([](Brief &b) {
        b.tone = ch(0x00A0) + QStringLiteral("calm") + ch(0x200B) + ch(0xFEFF);
    }) << with([](Brief &b) { b.tone = QStringLiteral("calm"); });
    QTest::newRow("zero-width only becomes empty")
        << with([](Brief &b) { b.brandNotes = ch(0x200B) + ch(0x2060); }) << validBrief();
    QTest::newRow("Windows line breaks in multi-line fields")
        << with([](Brief &b) { b.audience = QStringLiteral("one\r\ntwo\rthree\r\n"); })
        << with([](Brief &b) { b.audience = QStringLiteral("one\ntwo\nthree"); });
    QTest::newRow("line breaks in single-line fields are left for validation")
        << with([](Brief &b) { b.productName = QStringLiteral("Trail\r\nLite"); })
        << with([](Brief &b) { b.productName = QStringLiteral("Trail\r\nLite"); });
    QTest::newRow("image options tidied") << with([](Brief &b) {
        b.image = {QStringLiteral(" 16:9 "), 3, QStringLiteral(" JPEG ")};
    }) << with([](Brief &b) {
        b.image = {QStringLiteral("16:9"), 3, QStringLiteral("jpg")};
    });
    QTest::newRow("empty image options become defaults") << with([](Brief &b) {
        b.image = {QString(), 2, QString()};
    }) << with([](Brief &b) { b.image.count = 2; });
    QTest::newRow("invalid values kept for the message") << with([](Brief &b) {
        b.image = {QStringLiteral("16x9"), 7, QStringLiteral("GIF")};
    }) << with([](Brief &b) {
        b.image = {QStringLiteral("16x9"), 7, QStringLiteral("gif")};
    });
}

void TestBriefValidator::normalization()
{
    QFETCH(Brief, input);
    QFETCH(Brief, expected);
    const Brief normal = normalizedBrief(input);
    QCOMPARE(normal, expected);
    QCOMPARE(normalizedBrief(normal), normal); // idempotent
}

void TestBriefValidator::textLength_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("length");
    QTest::newRow("empty") << QString() << 0;
    QTest::newRow("ASCII") << QStringLiteral("TrailLite") << 9;
    QTest::newRow("precomposed accents") << QStringLiteral("Café Ñandú") << 10;
    QTest::newRow("emoji is one") << rocket << 1;
    QTest::newRow("emoji among text") << QStringLiteral("go 🚀🚀") << 5;
    QTest::newRow("combining accent counts as its parts") << QStringLiteral("e\u0301") << 2;
    QTest::newRow("flag counts as its two letters") << QStringLiteral("🇪🇸") << 2;
    QTest::newRow("lone surrogate is one") << QString(QChar(0xD83D)) << 1;
    QTest::newRow("Hebrew") << QStringLiteral("שלום") << 4;
}

void TestBriefValidator::textLength()
{
    QFETCH(QString, text);
    QFETCH(int, length);
    QCOMPARE(briefTextLength(text), length);
}

void TestBriefValidator::limitsAreInclusive_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<int>("limit");
    QTest::newRow("product name") << QString(BriefField::ProductName) << 80;
    QTest::newRow("audience") << QString(BriefField::Audience) << 300;
    QTest::newRow("value proposition") << QString(BriefField::ValueProposition) << 600;
    QTest::newRow("tone") << QString(BriefField::Tone) << 80;
    QTest::newRow("brand notes") << QString(BriefField::BrandNotes) << 1000;
}

void TestBriefValidator::limitsAreInclusive()
{
    QFETCH(QString, field);
    QFETCH(int, limit);
    QCOMPARE(briefFieldMaxLength(field), limit);
    const auto briefWith = [&](const QString &text) {
        Brief b = validBrief();
        QString *target = field == BriefField::ProductName        ? &b.productName
                          : field == BriefField::Audience         ? &b.audience
                          : field == BriefField::ValueProposition ? &b.valueProposition
                          : field == BriefField::Tone             ? &b.tone
                                                                  : &b.brandNotes;
        *target = text;
        return b;
    };
    // Emoji take two UTF-16 units each but count as one character.
    QVERIFY(validateBrief(briefWith(repeated(rocket, limit))).isEmpty());
    const BriefIssues issues = validateBrief(briefWith(repeated(rocket, limit + 1)));
    QCOMPARE(test::fieldsOf(issues), QStringList{field});
    QVERIFY(issues.first().message.contains(QStringLiteral("the limit is %1").arg(limit)));
}

void TestBriefValidator::labelsAndLimits()
{
    QCOMPARE(briefFields(),
             (QStringList{QStringLiteral("product_name"), QStringLiteral("audience"),
                          QStringLiteral("value_proposition"), QStringLiteral("tone"),
                          QStringLiteral("brand_notes"), QStringLiteral("image.aspect_ratio"),
                          QStringLiteral("image.count"), QStringLiteral("image.output_format")}));
    const QStringList labels{QStringLiteral("Product name"),      QStringLiteral("Audience"),
                             QStringLiteral("Value proposition"), QStringLiteral("Tone"),
                             QStringLiteral("Brand notes"),       QStringLiteral("Aspect ratio"),
                             QStringLiteral("Number of images"),  QStringLiteral("Image format")};
    for (qsizetype i = 0; i < labels.size(); ++i)
        QCOMPARE(briefFieldLabel(briefFields().at(i)), labels.at(i));
    QCOMPARE(briefFieldLabel(QStringLiteral("colour")), QStringLiteral("colour"));
    QCOMPARE(briefFieldLabel(BriefField::Image), QStringLiteral("Image options"));
    QCOMPARE(briefFieldMaxLength(BriefField::ImageCount), 0);
    QVERIFY(!isMultiLineBriefField(BriefField::ProductName));
    QVERIFY(!isMultiLineBriefField(BriefField::Tone));
    QVERIFY(isMultiLineBriefField(BriefField::Audience));
    QVERIFY(isMultiLineBriefField(BriefField::ValueProposition));
    QVERIFY(isMultiLineBriefField(BriefField::BrandNotes));
}

void TestBriefValidator::allowedValuesMatchTheImageModel()
{
    // black-forest-labs/flux-schnell's input schema.
    QCOMPARE(allowedAspectRatios(),
             (QStringList{QStringLiteral("1:1"), QStringLiteral("16:9"), QStringLiteral("21:9"),
                          QStringLiteral("3:2"), QStringLiteral("2:3"), QStringLiteral("4:5"),
                          QStringLiteral("5:4"), QStringLiteral("3:4"), QStringLiteral("4:3"),
                          QStringLiteral("9:16"), QStringLiteral("9:21")}));
    QCOMPARE(allowedOutputFormats(),
             (QStringList{QStringLiteral("webp"), QStringLiteral("jpg"), QStringLiteral("png")}));
    const ImageOptions defaults;
    QCOMPARE(defaults.aspectRatio, QStringLiteral("1:1"));
    QCOMPARE(defaults.count, 1);
    QCOMPARE(defaults.outputFormat, QStringLiteral("png"));
}

QTEST_GUILESS_MAIN(TestBriefValidator)
#include "tst_briefvalidator.moc"
