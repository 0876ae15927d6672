// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <functional>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "core/brief/briefjson.h"
#include "tests/core/brief/brieftestutil.h"

using namespace brieflow;

namespace {

const QByteArray minimalJson = R"({"product_name": "TrailLite 2", "audience": "Trail runners",
 "value_proposition": "Light and grippy."})";

Brief minimalBrief()
{
    Brief brief;
    brief.productName = QStringLiteral("TrailLite 2");
    brief.audience = QStringLiteral("Trail runners");
    brief.valueProposition = QStringLiteral("Light and grippy.");
    return brief;
}

Brief with(const std::function<void(Brief &)> &change)
{
    Brief brief = minimalBrief();
    change(brief);
    return brief;
}

// minimalJson with more members appended to the object, e.g. R"("tone": "calm")".
QByteArray plus(const QByteArray &members)
{
    QByteArray json = minimalJson;
    json.chop(1);
    return json + ", " + members + '}';
}

QByteArray image(const QByteArray &members)
{
    return plus("\"image\": {" + members + '}');
}

} // namespace

class TestBriefJson : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void reads_data();
    void reads();
    void rejects_data();
    void rejects();
    void tooLargeFile();
    void roundTrip_data();
    void roundTrip();
    void canonicalForm();
    void canonicalFormIgnoresInputLayout();
    void brokenTextStillGivesValidJson();
};

void TestBriefJson::reads_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<Brief>("expected");

    QTest::newRow("required fields only") << minimalJson << minimalBrief();
    QTest::newRow("every field") << QByteArray(
        R"({"product_name":"Café Ñandú","audience":"Commuters\nand students",
            "value_proposition":"Fair-trade coffee, roasted daily.","tone":"warm",
            "brand_notes":"Say \"Ñandú\", never \"Nandu\".",
            "image":{"aspect_ratio":"16:9","count":2,"output_format":"jpg"}})")
                                 <<
        [] {
            Brief b;
            b.productName = QStringLiteral("Café Ñandú");
            b.audience = QStringLiteral("Commuters\nand students");
            b.valueProposition = QStringLiteral("Fair-trade coffee, roasted daily.");
            b.tone = QStringLiteral("warm");
            b.brandNotes = QStringLiteral("Say \"Ñandú\", never \"Nandu\".");
            b.image = {QStringLiteral("16:9"), 2, QStringLiteral("jpg")};
            return b;
        }();
    QTest::newRow("UTF-8 byte order mark")
        << QByteArray("\xEF\xBB\xBF" + minimalJson) << minimalBrief();
    QTest::newRow("keys in any order")
        << QByteArray(R"({"value_proposition":"Light and grippy.","audience":"Trail runners",
                        "product_name":"TrailLite 2"})")
        << minimalBrief();
    QTest::newRow("null optional fields take defaults")
        << plus(R"("tone": null, "brand_notes": null, "image": null)") << minimalBrief();
    QTest::newRow("null image options take defaults")
        << image(R"("aspect_ratio": null, "count": null, "output_format": null)") << minimalBrief();
    QTest::newRow("empty image object") << image("") << minimalBrief();
    QTest::newRow("values trimmed")
        << QByteArray(R"({"product_name":"  TrailLite 2\t","audience":"\u00a0Trail runners ",
                        "value_proposition":"\nLight and grippy.\n"})")
        << minimalBrief();
    QTest::newRow("unicode escapes") << plus(R"("tone": "caf\u00e9 \ud83d\ude80")")
                                     << with([](Brief &b) { b.tone = QStringLiteral("café 🚀"); });
    QTest::newRow("right-to-left text")
        << plus(R"("brand_notes": "שלום · مرحبا")")
        << with([](Brief &b) { b.brandNotes = QStringLiteral("שלום · مرحبا"); });
    QTest::newRow("count written as 2.0")
        << image(R"("count": 2.0)") << with([](Brief &b) { b.image.count = 2; });
    QTest::newRow("format jpeg and PNG case")
        << image(R"("output_format": "JPEG")")
        << with([](Brief &b) { b.image.outputFormat = QStringLiteral("jpg"); });
    QTest::newRow("empty aspect ratio takes default")
        << image(R"("aspect_ratio": " ")") << minimalBrief();
    QTest::newRow("Windows line breaks in text")
        << plus(R"("brand_notes": "one\r\ntwo")")
        << with([](Brief &b) { b.brandNotes = QStringLiteral("one\ntwo"); });
}

void TestBriefJson::reads()
{
    QFETCH(QByteArray, json);
    QFETCH(Brief, expected);
    const auto result = briefFromJson(json);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(test::dump(result.error())));
    QCOMPARE(result.value(), expected);
}

void TestBriefJson::rejects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("fields");
    QTest::addColumn<QStringList>("keywords");
    const QStringList file{QString()};
    const auto says = [](const char *text) { return QStringList{QString::fromUtf8(text)}; };

    // The file as a whole
    QTest::newRow("empty file") << QByteArray() << file << says("The file is empty");
    QTest::newRow("whitespace only") << QByteArray(" \n\t\r\n") << file << says("empty");
    QTest::newRow("byte order mark only") << QByteArray("\xEF\xBB\xBF") << file << says("empty");
    QTest::newRow("plain text") << QByteArray("TrailLite 2, for trail runners") << file
                                << says("isn't valid JSON: line 1, column 1");
    QTest::newRow("trailing comma")
        << QByteArray("{\n  \"product_name\": \"TrailLite 2\",\n}") << file
        << says("line 3, column 1 — there is probably a comma too many");
    QTest::newRow("missing comma")
        << QByteArray("{\n  \"product_name\": \"TrailLite 2\"\n  \"audience\": \"x\"}") << file
        << says("line 3, column 3 — a comma is probably missing");
    QTest::newRow("single quotes")
        << QByteArray("{'product_name': 'TrailLite 2'}") << file << says("straight double quotes");
    QTest::newRow("curly quotes") << QByteArray(
        "{\"product_name\": \xE2\x80\x9CTrailLite\xE2\x80\x9D}")
                                  << file << says("not single or curly quotes");
    QTest::newRow("missing colon")
        << QByteArray(R"({"product_name" "TrailLite"})") << file << says("colon");
    QTest::newRow("text cut off") << QByteArray(R"({"product_name": "TrailLite 2", "aud)") << file
                                  << says(
                                         "line 1, column 33 — a text is missing its closing quote");
    QTest::newRow("closing brace missing")
        << QByteArray(R"({"product_name": "TrailLite 2")") << file << says("ends too early");
    QTest::newRow("brackets mixed up")
        << QByteArray(R"({"tone": ["a", "b"})") << file << says("brackets don't match");
    QTest::newRow("number where a comma belongs")
        << QByteArray("{\"image\": {\"count\": 2\n 3}}") << file
        << says("line 2, column 2 — a comma is probably missing");
    QTest::newRow("half an escaped emoji")
        << QByteArray(R"({"tone": "\ud83d"})") << file << says("emoji");
    QTest::newRow("stray backslash")
        << QByteArray(R"({"tone": "a\qb"})") << file << says("backslash");
    QTest::newRow("raw line break inside text")
        << QByteArray("{\"audience\": \"one\ntwo\"}") << file << says("must be written as \\n");
    QTest::newRow("two objects") << QByteArray(minimalJson + minimalJson) << file
                                 << says("a file holds one brief");
    QTest::newRow("Latin-1 byte") << QByteArray("{\n\"product_name\": \"Caf\xE9\"}") << file
                                  << says("isn't UTF-8 text: line 2, column 21 has the byte 0xE9");
    QTest::newRow("truncated UTF-8 sequence")
        << QByteArray("{\"tone\": \"\xC3\"}") << file << says("byte 0xC3");
    QTest::newRow("UTF-16 file") << QByteArray("\xFF\xFE{\0\"\0", 6) << file
                                 << says("saved as UTF-16");
    QTest::newRow("number too large to read")
        << image(R"("count": 1e400)") << file << says("a number too large to read");
    QTest::newRow("comment") << QByteArray("// my brief\n" + minimalJson) << file
                             << says("line 1, column 1 — a brief file starts with {");
    QTest::newRow("list instead of object")
        << QByteArray("[" + minimalJson + "]") << file << says("contains a list in [ ]");
    QTest::newRow("text instead of object")
        << QByteArray(R"("TrailLite 2")") << file << says("contains the text \"TrailLite 2\"");
    QTest::newRow("number instead of object")
        << QByteArray("42") << file << says("contains the number 42");
    QTest::newRow("null instead of object") << QByteArray("null") << file << says("contains null");

    // Fields
    QTest::newRow("empty object") << QByteArray("{}")
                                  << QStringList{BriefField::ProductName, BriefField::Audience,
                                                 BriefField::ValueProposition}
                                  << QStringList{QStringLiteral("Product name is required."),
                                                 QStringLiteral("Audience is required."),
                                                 QStringLiteral("Value proposition is required.")};
    QTest::newRow("required field null")
        << QByteArray(R"({"product_name": null})")
        << QStringList{BriefField::ProductName, BriefField::Audience, BriefField::ValueProposition}
        << says("Product name is required.");
    QTest::newRow("unknown field")
        << plus(R"("colour": "red")") << QStringList{QStringLiteral("colour")}
        << says("Unknown field \"colour\" — a brief has no such field. Remove it or fix its name.");
    QTest::newRow("camelCase key")
        << plus(R"("productName": "x")") << QStringList{QStringLiteral("productName")}
        << says("Did you mean \"product_name\"?");
    QTest::newRow("nested unknown object")
        << plus(R"("extra": {"a": {"b": 1}})") << QStringList{QStringLiteral("extra")}
        << says("Unknown field \"extra\"");
    QTest::newRow("unknown image option")
        << image(R"("style": "watercolour")") << QStringList{QStringLiteral("image.style")}
        << says("the image options have no such field");
    QTest::newRow("Replicate's name for count")
        << image(R"("num_outputs": 2)") << QStringList{QStringLiteral("image.num_outputs")}
        << says("Did you mean \"count\"?");
    QTest::newRow("image option at top level")
        << plus(R"("aspect_ratio": "16:9")") << QStringList{QStringLiteral("aspect_ratio")}
        << says("image options go inside \"image\"");
    QTest::newRow("duplicate key")
        << plus(R"("product_name": "Other")") << QStringList{BriefField::ProductName}
        << says("Product name is given 2 times (\"product_name\") — keep only one.");
    QTest::newRow("duplicate image key")
        << image(R"("count": 1, "count": 2)") << QStringList{BriefField::ImageCount}
        << says("given 2 times");
    QTest::newRow("duplicates in an unknown object are the unknown field's problem")
        << plus(R"("extra": {"a": 1, "a": 2})")
        << QStringList{QStringLiteral("extra.a"), QStringLiteral("extra")}
        << QStringList{QStringLiteral("given 2 times"), QStringLiteral("Unknown field")};
    QTest::newRow("product name is a number")
        << QByteArray(R"({"product_name": 42, "audience": "a", "value_proposition": "v"})")
        << QStringList{BriefField::ProductName}
        << says("Product name must be text in double quotes; got the number 42.");
    QTest::newRow("audience is a list")
        << QByteArray(R"({"product_name": "p", "audience": ["a", "b"], "value_proposition": "v"})")
        << QStringList{BriefField::Audience} << says("got a list");
    QTest::newRow("tone is true") << plus(R"("tone": true)") << QStringList{BriefField::Tone}
                                  << says("Tone must be text in double quotes; got true.");
    QTest::newRow("brand notes is an object")
        << plus(R"("brand_notes": {"x": 1})") << QStringList{BriefField::BrandNotes}
        << says("group of fields");
    QTest::newRow("image is text") << plus(R"("image": "16:9")") << QStringList{BriefField::Image}
                                   << says("Image options must be a group of fields");
    QTest::newRow("count in quotes")
        << image(R"("count": "2")") << QStringList{BriefField::ImageCount}
        << says("without quotes: write \"count\": 2, not \"count\": \"2\"");
    QTest::newRow("count in words")
        << image(R"("count": "two")") << QStringList{BriefField::ImageCount}
        << says("whole number from 1 to 4, written without quotes; got the text \"two\"");
    QTest::newRow("count 2.5")
        << image(R"("count": 2.5)") << QStringList{BriefField::ImageCount}
        << says("Number of images must be a whole number from 1 to 4; got the number 2.5.");
    for (const char *count : {"0", "5", "-1", "1e20", "-0"}) {
        QTest::addRow("count %s", count)
            << image("\"count\": " + QByteArray(count)) << QStringList{BriefField::ImageCount}
            << says("must be from 1 to 4; got");
    }
    QTest::newRow("count true") << image(R"("count": true)") << QStringList{BriefField::ImageCount}
                                << says("whole number from 1 to 4; got true");
    QTest::newRow("aspect ratio is a number")
        << image(R"("aspect_ratio": 1.5)") << QStringList{BriefField::AspectRatio}
        << says("Aspect ratio must be text");
    QTest::newRow("aspect ratio 16x9")
        << image(R"("aspect_ratio": "16x9")") << QStringList{BriefField::AspectRatio}
        << says("got \"16x9\". Did you mean \"16:9\"?");
    QTest::newRow("format gif") << image(R"("output_format": "gif")")
                                << QStringList{BriefField::OutputFormat} << says("webp, jpg, png");
    QTest::newRow("escaped control character")
        << plus(R"("tone": "calm\u0007")") << QStringList{BriefField::Tone} << says("(U+0007)");
    QTest::newRow("escaped tab in product name")
        << QByteArray(
               R"({"product_name": "Trail\tLite", "audience": "a", "value_proposition": "v"})")
        << QStringList{BriefField::ProductName} << says("tab");
    QTest::newRow("escaped NUL") << plus(R"("brand_notes": "a\u0000b")")
                                 << QStringList{BriefField::BrandNotes} << says("U+0000");
    QTest::newRow("deeply nested unknown field")
        << plus("\"extra\": " + QByteArray(10000, '[') + QByteArray(10000, ']'))
        << QStringList{QStringLiteral("extra")} << says("Unknown field \"extra\"");
    QTest::newRow("too long") << plus("\"tone\": \"" + QByteArray(81, 'x') + '"')
                              << QStringList{BriefField::Tone}
                              << says("81 characters, the limit is 80");
    QTest::newRow("every kind of problem at once")
        << QByteArray(R"({"product_name": 7, "audience": "", "tone": "a\nb", "colour": 1,
            "image": {"aspect_ratio": "wide", "count": "3", "size": 2, "output_format": "gif"},
            "audience": " "})")
        << QStringList{BriefField::ProductName,  BriefField::Audience,
                       BriefField::Audience,     BriefField::ValueProposition,
                       BriefField::Tone,         BriefField::AspectRatio,
                       BriefField::ImageCount,   BriefField::OutputFormat,
                       QStringLiteral("colour"), QStringLiteral("image.size")}
        << QStringList{QStringLiteral("must be text"),   QStringLiteral("given 2 times"),
                       QStringLiteral("required"),       QStringLiteral("required"),
                       QStringLiteral("one line"),       QStringLiteral("wide"),
                       QStringLiteral("without quotes"), QStringLiteral("gif"),
                       QStringLiteral("Unknown"),        QStringLiteral("Unknown")};
}

void TestBriefJson::rejects()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, fields);
    QFETCH(QStringList, keywords);
    const auto result = briefFromJson(json);
    QVERIFY2(!result.ok(), "expected problems");
    BRIEF_VERIFY_ISSUES(result.error(), fields, keywords);
}

void TestBriefJson::tooLargeFile()
{
    const QByteArray json = plus("\"brand_notes\": \"" + QByteArray(MaxBriefJsonBytes, 'x') + '"');
    const auto result = briefFromJson(json);
    QVERIFY(!result.ok());
    BRIEF_VERIFY_ISSUES(result.error(), QStringList{QString()},
                        QStringList{QStringLiteral("The file is too large (1.0 MB); a brief file "
                                                   "can be at most 1.0 MB.")});
}

void TestBriefJson::roundTrip_data()
{
    QTest::addColumn<Brief>("brief");
    QTest::newRow("defaults") << minimalBrief();
    QTest::newRow("every field and option") << with([](Brief &b) {
        b.tone = QStringLiteral("bold");
        b.brandNotes = QStringLiteral("Logo bottom-left.\nNo red.");
        b.image = {QStringLiteral("9:21"), 4, QStringLiteral("webp")};
    });
    QTest::newRow("non-ASCII, emoji, right-to-left") << with([](Brief &b) {
        b.productName = QStringLiteral("Café Ñandú 🚀");
        b.audience = QStringLiteral("שלום עולם\nمرحبا");
    });
    QTest::newRow("quotes, backslashes, tabs") << with([](Brief &b) {
        b.valueProposition = QStringLiteral("Say \"hi\" \\ wave\tthen\n\trun");
        b.brandNotes = QStringLiteral("C:\\brand\\logo.svg </script> {\"json\": true}");
    });
    QTest::newRow("limits exactly") << with([](Brief &b) {
        b.productName = QString(80, QLatin1Char('p'));
        b.brandNotes = QString(1000, QChar(0x00E9));
    });
}

void TestBriefJson::roundTrip()
{
    QFETCH(Brief, brief);
    QVERIFY(validateBrief(brief).isEmpty());
    const QByteArray json = briefToJson(brief);
    const auto back = briefFromJson(json);
    QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(test::dump(back.error())));
    QCOMPARE(back.value(), brief);
    QCOMPARE(briefToJson(back.value()), json);
}

void TestBriefJson::canonicalForm()
{
    const Brief brief = with([](Brief &b) {
        b.productName = QStringLiteral("Café \"Ñandú\"");
        b.brandNotes = QStringLiteral("a\nb");
        b.image.count = 3;
    });
    const QByteArray expected = "{\"product_name\":\"Café \\\"Ñandú\\\"\",\"audience\":\"Trail "
                                "runners\",\"value_proposition\":\"Light and grippy.\",\"tone\":"
                                "\"\",\"brand_notes\":\"a\\nb\",\"image\":{\"aspect_ratio\":"
                                "\"1:1\",\"count\":3,\"output_format\":\"png\"}}";
    QCOMPARE(briefToJson(brief), expected);
}

void TestBriefJson::canonicalFormIgnoresInputLayout()
{
    const QByteArray a = R"({"image": {"output_format": "PNG", "count": 2},
        "value_proposition": "Light and grippy.", "audience": "Trail runners",
        "product_name": "  TrailLite 2 "})";
    const QByteArray b = "\xEF\xBB\xBF{\"product_name\":\"TrailLite 2\",\"audience\":\"Trail "
                         "runners\",\"value_proposition\":\"Light and grippy.\",\"tone\":null,"
                         "\"image\":{\"count\":2.0,\"aspect_ratio\":\"1:1\"}}";
    const auto briefA = briefFromJson(a);
    const auto briefB = briefFromJson(b);
    QVERIFY(briefA.ok() && briefB.ok());
    QCOMPARE(briefToJson(briefA.value()), briefToJson(briefB.value()));
}

void TestBriefJson::brokenTextStillGivesValidJson()
{
    const Brief brief = with([](Brief &b) { b.tone = QStringLiteral("x") + QChar(0xD800); });
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(briefToJson(brief), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(document.isObject());
    QCOMPARE(document.object().value(QStringLiteral("product_name")).toString(),
             QStringLiteral("TrailLite 2"));
}

QTEST_GUILESS_MAIN(TestBriefJson)
#include "tst_briefjson.moc"
