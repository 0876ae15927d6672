// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// File names of an export: the template, sanitising hostile names, staying inside the folder,
// uniqueness.
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "core/export/exportnames.h"

using namespace brieflow;

namespace {

NameFields sampleFields()
{
    NameFields f;
    f.product = QStringLiteral("Solar Lamp");
    f.job = JobId(QStringLiteral("0192f0c4-7e2a-7b31-9c4d-2f6a1e0b9d11"));
    f.index = 3;
    f.date = QDate(2026, 4, 7);
    f.model = QStringLiteral("black-forest-labs/flux-schnell");
    return f;
}

/** The checks every sanitised name must pass, whatever went in. */
void verifySafe(const QString &name, const QString &input)
{
    const QByteArray context = "input: " + input.toUtf8().toPercentEncoding();
    QVERIFY2(!name.isEmpty(), context.constData());
    QVERIFY2(!name.contains(QLatin1Char('/')) && !name.contains(QLatin1Char('\\')),
             context.constData());
    QVERIFY2(!name.contains(QStringLiteral("..")), context.constData());
    QVERIFY2(!name.startsWith(QLatin1Char('.')) && !name.startsWith(QLatin1Char(' ')),
             context.constData());
    QVERIFY2(!name.endsWith(QLatin1Char('.')) && !name.endsWith(QLatin1Char(' ')),
             context.constData());
    QVERIFY2(name.size() <= maxFileNameLength, context.constData());
    QVERIFY2(name.toUtf8().size() <= maxFileNameBytes, context.constData());
    for (const char32_t c : name.toUcs4()) {
        QVERIFY2(c >= 0x20 && !(c >= 0x7f && c <= 0x9f), context.constData());
        QVERIFY2(!(c >= 0xd800 && c <= 0xdfff), context.constData()); // no broken pair
        QVERIFY2(QChar::category(c) != QChar::Other_Format, context.constData());
        QVERIFY2(!QStringLiteral("<>:\"|?*").contains(QString::fromUcs4(&c, 1)),
                 context.constData());
    }
    const QString base = name.section(QLatin1Char('.'), 0, 0).trimmed().toUpper();
    for (const char *reserved : {"CON", "PRN", "AUX", "NUL", "COM1", "COM9", "LPT1", "LPT9"})
        QVERIFY2(base != QLatin1String(reserved), context.constData());
}

} // namespace

class TestExportNames : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void expandsEveryPlaceholder();
    void indexHasTwoDigitsAtLeast();
    void modelIsTheNamePart();
    void unknownPlaceholdersAreNamed();
    void textWithoutPlaceholdersIsKept();
    void sanitizes_data();
    void sanitizes();
    void longNamesAreCutKeepingTheExtension();
    void wideCharactersAreCutByBytesNeverInsideAPair();
    void randomHostileNamesAreSafeAndWritable();
    void insideFolder_data();
    void insideFolder();
    void uniqueNamesNumberTheStem();
    void uniqueNamesIgnoreCase();
    void pairedStemsStayTogether();
    void numberedNameForKeepBoth();
};

void TestExportNames::expandsEveryPlaceholder()
{
    const auto name = expandNameTemplate(QStringLiteral("{product}_{date}_{job}_{index}_{model}"),
                                         sampleFields());
    QVERIFY(name.ok());
    QCOMPARE(name.value(), QStringLiteral("Solar Lamp_2026-04-07_0192f0c4_03_flux-schnell"));
    // The same placeholder twice, and the default template.
    const auto twice = expandNameTemplate(QStringLiteral("{index}-{index}"), sampleFields());
    QCOMPARE(twice.value(), QStringLiteral("03-03"));
    const auto standard =
        expandNameTemplate(QStringLiteral("{product}-{date}-{job}-{index}"), sampleFields());
    QCOMPARE(standard.value(), QStringLiteral("Solar Lamp-2026-04-07-0192f0c4-03"));
}

void TestExportNames::indexHasTwoDigitsAtLeast()
{
    NameFields f = sampleFields();
    for (const auto &[index, text] : {std::pair{1, "01"}, {9, "09"}, {10, "10"}, {123, "123"}}) {
        f.index = index;
        QCOMPARE(expandNameTemplate(QStringLiteral("{index}"), f).value(), QLatin1String(text));
    }
}

void TestExportNames::modelIsTheNamePart()
{
    NameFields f = sampleFields();
    f.model = QStringLiteral("stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e");
    QCOMPARE(expandNameTemplate(QStringLiteral("{model}"), f).value(), QStringLiteral("sdxl"));
    f.model = QStringLiteral("plain");
    QCOMPARE(expandNameTemplate(QStringLiteral("{model}"), f).value(), QStringLiteral("plain"));
    f.model.clear();
    QCOMPARE(expandNameTemplate(QStringLiteral("x{model}"), f).value(), QStringLiteral("x"));
}

void TestExportNames::unknownPlaceholdersAreNamed()
{
    const auto r =
        expandNameTemplate(QStringLiteral("{product}-{seed}-{Product}-{seed}"), sampleFields());
    QVERIFY(!r.ok());
    QVERIFY2(r.error().contains(QStringLiteral("{seed}")), qPrintable(r.error()));
    QVERIFY2(r.error().contains(QStringLiteral("{Product}")), qPrintable(r.error()));
    QCOMPARE(r.error().count(QStringLiteral("{seed}")), 1);
    // The message lists what is known.
    QVERIFY(r.error().contains(QStringLiteral("{index}")));
    const auto empty = expandNameTemplate(QStringLiteral("a{}b"), sampleFields());
    QVERIFY(!empty.ok());
    QVERIFY(empty.error().contains(QStringLiteral("{}")));
}

void TestExportNames::textWithoutPlaceholdersIsKept()
{
    QCOMPARE(expandNameTemplate(QStringLiteral("campaign { final"), sampleFields()).value(),
             QStringLiteral("campaign { final"));
    QCOMPARE(expandNameTemplate(QString(), sampleFields()).value(), QString());
}

void TestExportNames::sanitizes_data()
{
    QTest::addColumn<QString>("stem");
    QTest::addColumn<QString>("extension");
    QTest::addColumn<QString>("expected");
    const QString png = QStringLiteral("png");
    QTest::newRow("plain") << QStringLiteral("Solar Lamp-01") << png
                           << QStringLiteral("Solar Lamp-01.png");
    QTest::newRow("traversal") << QStringLiteral("../../etc/passwd") << png
                               << QStringLiteral("_._etc_passwd.png");
    QTest::newRow("absolute") << QStringLiteral("/etc/passwd") << png
                              << QStringLiteral("_etc_passwd.png");
    QTest::newRow("windows traversal")
        << QStringLiteral("..\\..\\win.ini") << png << QStringLiteral("_._win.ini.png");
    QTest::newRow("dot dot") << QStringLiteral("..") << png << QStringLiteral("image.png");
    QTest::newRow("dots in the middle")
        << QStringLiteral("a...b") << png << QStringLiteral("a.b.png");
    QTest::newRow("CON") << QStringLiteral("CON") << png << QStringLiteral("_CON.png");
    QTest::newRow("con lower") << QStringLiteral("con") << png << QStringLiteral("_con.png");
    QTest::newRow("CON.png as stem")
        << QStringLiteral("CON.png") << png << QStringLiteral("_CON.png.png");
    QTest::newRow("NUL with space")
        << QStringLiteral("NUL ") << QString() << QStringLiteral("_NUL");
    QTest::newRow("COM1") << QStringLiteral("com1") << png << QStringLiteral("_com1.png");
    QTest::newRow("LPT9.txt") << QStringLiteral("LPT9.txt") << png
                              << QStringLiteral("_LPT9.txt.png");
    QTest::newRow("COM10 is fine") << QStringLiteral("COM10") << png << QStringLiteral("COM10.png");
    QTest::newRow("CONSOLE is fine")
        << QStringLiteral("CONSOLE") << png << QStringLiteral("CONSOLE.png");
    QTest::newRow("PRN") << QStringLiteral("prn") << QStringLiteral("json")
                         << QStringLiteral("_prn.json");
    QTest::newRow("AUX") << QStringLiteral("Aux") << png << QStringLiteral("_Aux.png");
    QTest::newRow("NUL inside") << (QStringLiteral("a") + QChar(0) + QStringLiteral("b")) << png
                                << QStringLiteral("ab.png");
    QTest::newRow("control only") << QStringLiteral("\x01") << png << QStringLiteral("image.png");
    QTest::newRow("newline and escape")
        << QStringLiteral("line1\nline2\x1b[31m") << png << QStringLiteral("line1line2[31m.png");
    QTest::newRow("DEL and C1") << QStringLiteral("a\x7f"
                                                  "b\u0085c\u009b")
                                << png << QStringLiteral("abc.png");
    QTest::newRow("empty") << QString() << png << QStringLiteral("image.png");
    QTest::newRow("spaces and dots only")
        << QStringLiteral(" . .. ") << png << QStringLiteral("image.png");
    QTest::newRow("leading dot") << QStringLiteral(".hidden") << png
                                 << QStringLiteral("hidden.png");
    QTest::newRow("trailing dots and spaces")
        << QStringLiteral("name. . ") << png << QStringLiteral("name.png");
    QTest::newRow("windows punctuation")
        << QStringLiteral("a<b>c:d\"e|f?g*h") << png << QStringLiteral("a_b_c_d_e_f_g_h.png");
    QTest::newRow("tabs and spaces")
        << QStringLiteral("a\t\t b\u00a0c") << png << QStringLiteral("a b c.png");
    QTest::newRow("unicode kept") << QStringLiteral("Café 日本語 🎉 Ωμέγα") << png
                                  << QStringLiteral("Café 日本語 🎉 Ωμέγα.png");
    QTest::newRow("NFC") << QStringLiteral("Cafe\u0301") << png << QStringLiteral("Café.png");
    QTest::newRow("bidi override")
        << QStringLiteral("invoice\u202egnp.exe") << png << QStringLiteral("invoicegnp.exe.png");
    QTest::newRow("zero width") << QStringLiteral("a\u200bb\ufeffc") << png
                                << QStringLiteral("abc.png");
    QTest::newRow("line separator")
        << QStringLiteral("a\u2028b") << png << QStringLiteral("ab.png");
    QTest::newRow("lone surrogate") << (QStringLiteral("a") + QChar(0xd800) + QStringLiteral("b"))
                                    << png << QStringLiteral("ab.png");
    QTest::newRow("hostile extension")
        << QStringLiteral("x") << QStringLiteral("../p/ng") << QStringLiteral("x.png");
    QTest::newRow("no extension") << QStringLiteral("bundle") << QString()
                                  << QStringLiteral("bundle");
}

void TestExportNames::sanitizes()
{
    QFETCH(QString, stem);
    QFETCH(QString, extension);
    QFETCH(QString, expected);
    const QString name = sanitizeFileName(stem, extension);
    QCOMPARE(name, expected);
    verifySafe(name, stem);
    QVERIFY(staysInsideFolder(QStringLiteral("/tmp/export"), name));
    // Sanitising is idempotent.
    const auto [s, e] = splitExtension(name);
    if (!extension.isEmpty())
        QCOMPARE(sanitizeFileName(s, e), name);
}

void TestExportNames::longNamesAreCutKeepingTheExtension()
{
    const QString product = QString(500, QLatin1Char('p'));
    const QString name = sanitizeFileName(product + QStringLiteral("-2026-04-07-0192f0c4-01"),
                                          QStringLiteral("webp"));
    QVERIFY(name.endsWith(QStringLiteral(".webp")));
    QVERIFY(name.size() <= maxFileNameLength);
    QVERIFY(name.size() >= maxFileNameLength - 2);
    QVERIFY(name.startsWith(QStringLiteral("pppp")));
    verifySafe(name, product);
    // A cut that lands on spaces and dots doesn't leave them at the end.
    const QString dotted = QString(114, QLatin1Char('a')) + QStringLiteral(" . . . . . . . x");
    const QString cut = sanitizeFileName(dotted, QStringLiteral("png"));
    verifySafe(cut, dotted);
    QVERIFY(cut.endsWith(QStringLiteral("a.png")));
    // A long reserved name is left alone; a reserved name that is all that remains is prefixed.
    QCOMPARE(sanitizeFileName(QStringLiteral("CON") + QString(200, QLatin1Char(' ')),
                              QStringLiteral("png")),
             QStringLiteral("_CON.png"));
}

void TestExportNames::wideCharactersAreCutByBytesNeverInsideAPair()
{
    const QString cjk = QString(500, QChar(0x65e5)); // 日: 3 bytes in UTF-8
    const QString a = sanitizeFileName(cjk, QStringLiteral("jpg"));
    verifySafe(a, cjk);
    QVERIFY(a.toUtf8().size() > maxFileNameBytes - 8);
    QString emoji;
    for (int i = 0; i < 300; ++i)
        emoji += QStringLiteral("🎉");
    const QString b = sanitizeFileName(QStringLiteral("x") + emoji, QStringLiteral("png"));
    verifySafe(b, emoji);
    QVERIFY(b.endsWith(QStringLiteral("🎉.png")));
    QCOMPARE(QString::fromUtf8(b.toUtf8()), b); // round-trips: no half pair
}

void TestExportNames::randomHostileNamesAreSafeAndWritable()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    const QString folder = root.filePath(QStringLiteral("out"));
    QVERIFY(QDir().mkpath(folder));
    const QStringList before =
        QDir(root.path())
            .entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot | QDir::System);

    // Pieces an attacker would use, mixed with random code points.
    const QList<QString> pieces = {
        QStringLiteral("/"),    QStringLiteral("\\"),     QStringLiteral(".."),
        QStringLiteral("."),    QStringLiteral(" "),      QStringLiteral("CON"),
        QStringLiteral("nul"),  QStringLiteral("COM1"),   QString(QChar(0)),
        QStringLiteral("\x01"), QStringLiteral("\u202e"), QStringLiteral("🎉"),
        QStringLiteral("日本"), QStringLiteral(":"),      QStringLiteral("*"),
        QStringLiteral("a"),    QString(QChar(0xdc00)),   QStringLiteral("~")};
    QRandomGenerator random(20260407);
    UniqueNames unique;
    int written = 0;
    for (int i = 0; i < 3000; ++i) {
        QString stem;
        const int parts = random.bounded(1, 40);
        for (int p = 0; p < parts; ++p) {
            if (random.bounded(3) == 0) {
                const char32_t c = random.bounded(0x30000);
                stem += QString::fromUcs4(&c, 1);
            } else {
                stem += pieces.at(random.bounded(pieces.size()));
            }
        }
        if (random.bounded(10) == 0)
            stem = stem.repeated(20);
        const QString name = unique.claim(sanitizeFileName(stem, QStringLiteral("png")));
        verifySafe(name.left(maxFileNameLength), stem);
        QVERIFY2(staysInsideFolder(folder, name), qPrintable(name));
        if (i % 10 == 0) { // really create a tenth of them
            QFile file(folder + QLatin1Char('/') + name);
            QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::NewOnly),
                     qPrintable(name + QStringLiteral(": ") + file.errorString()));
            file.write("x");
            file.close();
            ++written;
        }
    }
    // Every file is directly in the folder; nothing appeared next to it.
    QCOMPARE(QDir(folder).entryList(QDir::Files | QDir::Hidden | QDir::System).size(), written);
    QCOMPARE(QDir(folder).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden).size(), 0);
    QCOMPARE(QDir(root.path())
                 .entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot | QDir::System),
             before);
}

void TestExportNames::insideFolder_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("inside");
    const QString f = QStringLiteral("/home/me/Export");
    QTest::newRow("plain") << f << QStringLiteral("a.png") << true;
    QTest::newRow("trailing slash folder")
        << f + QLatin1Char('/') << QStringLiteral("a.png") << true;
    QTest::newRow("root folder") << QStringLiteral("/") << QStringLiteral("a.png") << true;
    QTest::newRow("dotdot") << f << QStringLiteral("..") << false;
    QTest::newRow("dot") << f << QStringLiteral(".") << false;
    QTest::newRow("empty") << f << QString() << false;
    QTest::newRow("subfolder") << f << QStringLiteral("a/b.png") << false;
    QTest::newRow("traversal") << f << QStringLiteral("../Export2/a.png") << false;
    QTest::newRow("sibling prefix") << f << QStringLiteral("../Exported.png") << false;
    QTest::newRow("backslash") << f << QStringLiteral("..\\a.png") << false;
    QTest::newRow("nul") << f << (QStringLiteral("a") + QChar(0) + QStringLiteral(".png")) << false;
    QTest::newRow("dots inside a name") << f << QStringLiteral("a..png") << true;
}

void TestExportNames::insideFolder()
{
    QFETCH(QString, folder);
    QFETCH(QString, name);
    QFETCH(bool, inside);
    QCOMPARE(brieflow::staysInsideFolder(folder, name), inside);
}

void TestExportNames::uniqueNamesNumberTheStem()
{
    UniqueNames names;
    QCOMPARE(names.claim(QStringLiteral("a.png")), QStringLiteral("a.png"));
    QCOMPARE(names.claim(QStringLiteral("a.png")), QStringLiteral("a-2.png"));
    QCOMPARE(names.claim(QStringLiteral("a.png")), QStringLiteral("a-3.png"));
    QCOMPARE(names.claim(QStringLiteral("a.jpg")), QStringLiteral("a.jpg"));
    QCOMPARE(names.claim(QStringLiteral("a-2.png")), QStringLiteral("a-2-2.png"));
    QCOMPARE(names.claim(QStringLiteral("noext")), QStringLiteral("noext"));
    QCOMPARE(names.claim(QStringLiteral("noext")), QStringLiteral("noext-2"));
}

void TestExportNames::uniqueNamesIgnoreCase()
{
    UniqueNames names;
    QCOMPARE(names.claim(QStringLiteral("Lamp.png")), QStringLiteral("Lamp.png"));
    QCOMPARE(names.claim(QStringLiteral("LAMP.PNG")), QStringLiteral("LAMP-2.PNG"));
    QVERIFY(names.isTaken(QStringLiteral("lamp.png")));
    QVERIFY(!names.isTaken(QStringLiteral("lamp.jpg")));
}

void TestExportNames::pairedStemsStayTogether()
{
    UniqueNames names;
    names.insert(QStringLiteral("x.json")); // e.g. a sidecar already planned
    const QStringList exts{QStringLiteral("png"), QStringLiteral("json")};
    QCOMPARE(names.claimStem(QStringLiteral("x"), exts), QStringLiteral("x-2"));
    QVERIFY(names.isTaken(QStringLiteral("x-2.png")) && names.isTaken(QStringLiteral("x-2.json")));
    QVERIFY(!names.isTaken(QStringLiteral("x.png")));
    QCOMPARE(names.claimStem(QStringLiteral("x"), exts), QStringLiteral("x-3"));
}

void TestExportNames::numberedNameForKeepBoth()
{
    QCOMPARE(numberedName(QStringLiteral("Lamp-01"), QStringLiteral("png"), 2),
             QStringLiteral("Lamp-01 (2).png"));
    QCOMPARE(numberedName(QStringLiteral("bundle"), QString(), 3), QStringLiteral("bundle (3)"));
    const auto [stem, ext] = splitExtension(QStringLiteral("a.b.png"));
    QCOMPARE(stem, QStringLiteral("a.b"));
    QCOMPARE(ext, QStringLiteral("png"));
    QCOMPARE(splitExtension(QStringLiteral(".png")).first, QStringLiteral(".png"));
}

QTEST_GUILESS_MAIN(TestExportNames)
#include "tst_exportnames.moc"
