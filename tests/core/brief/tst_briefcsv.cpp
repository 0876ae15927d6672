// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QTest>

#include "core/brief/briefcsv.h"
#include "tests/core/brief/brieftestutil.h"

using namespace brieflow;

namespace {

const QByteArray header = "product_name,audience,value_proposition\n";

QStringList productsOf(const CsvBriefs &result)
{
    QStringList products;
    for (const CsvBriefRow &row : result.rows)
        products.append(row.brief.productName);
    return products;
}

QList<int> rowNumbersOf(const CsvBriefs &result)
{
    QList<int> rows;
    for (const CsvBriefRow &row : result.rows)
        rows.append(row.row);
    return rows;
}

// "row 3: field" for every row issue, in order.
QStringList rowIssuesOf(const CsvBriefs &result)
{
    QStringList issues;
    for (const CsvBriefRow &row : result.rows) {
        for (const BriefIssue &issue : row.issues)
            issues.append(QStringLiteral("row %1: %2").arg(row.row).arg(issue.field));
    }
    return issues;
}

BriefIssues allRowIssues(const CsvBriefs &result)
{
    BriefIssues issues;
    for (const CsvBriefRow &row : result.rows)
        issues += row.issues;
    return issues;
}

QString dumpAll(const CsvBriefs &result)
{
    QString text = test::dump(result.fileIssues);
    for (const CsvBriefRow &row : result.rows) {
        for (const BriefIssue &issue : row.issues)
            text += QStringLiteral("\nrow %1: %2: %3").arg(row.row).arg(issue.field, issue.message);
    }
    return text;
}

} // namespace

class TestBriefCsv : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void reads_data();
    void reads();
    void readsEveryColumn();
    void rowNumbersMatchASpreadsheet();
    void fileProblems_data();
    void fileProblems();
    void rowProblems_data();
    void rowProblems();
    void goodRowsSurviveBadOnes();
    void limits();
};

void TestBriefCsv::reads_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QStringList>("products");
    QTest::addColumn<QList<int>>("rows");

    const QStringList ab{QStringLiteral("A"), QStringLiteral("B")};
    QTest::newRow("LF") << QByteArray(header + "A,aud,val\nB,aud,val\n") << ab << QList<int>{2, 3};
    QTest::newRow("CRLF") << QByteArray("product_name,audience,value_proposition\r\nA,aud,val\r\nB,"
                                        "aud,val\r\n")
                          << ab << QList<int>{2, 3};
    QTest::newRow("old Mac CR") << QByteArray(
        "product_name,audience,value_proposition\rA,a,v\rB,a,v")
                                << ab << QList<int>{2, 3};
    QTest::newRow("no final line break")
        << QByteArray(header + "A,aud,val\nB,aud,val") << ab << QList<int>{2, 3};
    QTest::newRow("UTF-8 byte order mark")
        << QByteArray("\xEF\xBB\xBF" + header + "A,aud,val\nB,aud,val\n") << ab << QList<int>{2, 3};
    QTest::newRow("trailing empty lines")
        << QByteArray(header + "A,aud,val\nB,aud,val\n\n\r\n\n") << ab << QList<int>{2, 3};
    QTest::newRow("blank lines skipped but counted")
        << QByteArray(header + "\nA,aud,val\n\n\nB,aud,val\n") << ab << QList<int>{3, 6};
    QTest::newRow("rows of empty cells skipped (Excel)")
        << QByteArray(header + "A,aud,val\n,,\n , ,\nB,aud,val\n,,\n") << ab << QList<int>{2, 5};
    QTest::newRow("quoted comma") << QByteArray(header + "\"A, the one\",aud,val\n")
                                  << QStringList{QStringLiteral("A, the one")} << QList<int>{2};
    QTest::newRow("doubled quotes") << QByteArray(header + "\"The \"\"A\"\"\",aud,val\n")
                                    << QStringList{QStringLiteral("The \"A\"")} << QList<int>{2};
    QTest::newRow("quoted line break in a multi-line field")
        << QByteArray(header + "A,\"line one\nline two\",val\nB,aud,val\n") << ab
        << QList<int>{2, 3};
    QTest::newRow("space after comma before quote")
        << QByteArray(header + "\"A, Inc\", \"aud, too\", val\n")
        << QStringList{QStringLiteral("A, Inc")} << QList<int>{2};
    QTest::newRow("quote inside an unquoted cell kept")
        << QByteArray(header + "A 5\" screen,aud,val\n")
        << QStringList{QStringLiteral("A 5\" screen")} << QList<int>{2};
    QTest::newRow("headers in any case, order and spacing")
        << QByteArray(" Value Proposition ,PRODUCT_NAME,Audience\nval,A,aud\n")
        << QStringList{QStringLiteral("A")} << QList<int>{2};
    QTest::newRow("JSON-style image column names")
        << QByteArray("product_name,audience,value_proposition,image.count,image.aspect_ratio\n"
                      "A,aud,val,2,16:9\n")
        << QStringList{QStringLiteral("A")} << QList<int>{2};
    QTest::newRow("semicolons (European Excel)")
        << QByteArray("product_name;audience;value_proposition;image_count\n"
                      "A;aud, with comma;val;2\nB;aud;\"val; quoted\";\n")
        << ab << QList<int>{2, 3};
    QTest::newRow("tabs (pasted from a spreadsheet)")
        << QByteArray("product_name\taudience\tvalue_proposition\nA\taud\tval\nB\taud\tval\n") << ab
        << QList<int>{2, 3};
    QTest::newRow("trailing empty cells tolerated")
        << QByteArray(header + "A,aud,val,,\n") << QStringList{QStringLiteral("A")}
        << QList<int>{2};
    QTest::newRow("non-ASCII") << QByteArray(header + "Café Ñandú,Ünïcödé 🚀,שלום\n")
                               << QStringList{QStringLiteral("Café Ñandú")} << QList<int>{2};
}

void TestBriefCsv::reads()
{
    QFETCH(QByteArray, csv);
    QFETCH(QStringList, products);
    QFETCH(QList<int>, rows);
    const CsvBriefs result = briefsFromCsv(csv);
    QVERIFY2(result.ok(), qPrintable(dumpAll(result)));
    QCOMPARE(productsOf(result), products);
    QCOMPARE(rowNumbersOf(result), rows);
    QCOMPARE(result.validCount(), products.size());
    QCOMPARE(result.validBriefs().size(), products.size());
}

void TestBriefCsv::readsEveryColumn()
{
    const QByteArray csv = "product_name,audience,value_proposition,tone,brand_notes,aspect_ratio,"
                           "image_count,output_format\r\n"
                           "\"  Café Ñandú \",\"Commuters, students\r\nand night owls\","
                           "\"Say \"\"hola\"\" to fair-trade coffee\",warm,,16:9,2,JPEG\r\n"
                           "TrailLite 2,Trail runners,Light.,,,,,\r\n"
                           "NoteKeeper,Students,Notes that sync,calm,Blue only,9:16,4.0,webp\r\n";
    const CsvBriefs result = briefsFromCsv(csv);
    QVERIFY2(result.ok(), qPrintable(dumpAll(result)));
    QCOMPARE(result.rows.size(), 3);

    Brief cafe;
    cafe.productName = QStringLiteral("Café Ñandú");
    cafe.audience = QStringLiteral("Commuters, students\nand night owls");
    cafe.valueProposition = QStringLiteral("Say \"hola\" to fair-trade coffee");
    cafe.tone = QStringLiteral("warm");
    cafe.image = {QStringLiteral("16:9"), 2, QStringLiteral("jpg")};
    QCOMPARE(result.rows[0].brief, cafe);

    Brief trail; // empty image cells take the defaults
    trail.productName = QStringLiteral("TrailLite 2");
    trail.audience = QStringLiteral("Trail runners");
    trail.valueProposition = QStringLiteral("Light.");
    QCOMPARE(result.rows[1].brief, trail);

    QCOMPARE(result.rows[2].brief.image,
             (ImageOptions{QStringLiteral("9:16"), 4, QStringLiteral("webp")}));
    QCOMPARE(result.rows[2].brief.brandNotes, QStringLiteral("Blue only"));
}

void TestBriefCsv::rowNumbersMatchASpreadsheet()
{
    // Header row 1; a quoted cell spanning lines is one spreadsheet row; blank lines count.
    const QByteArray csv = header + "A,\"one\ntwo\nthree\",val\n\nB,aud,\"x\r\ny\"\n,,\nC,,val\n";
    const CsvBriefs result = briefsFromCsv(csv);
    QCOMPARE(rowNumbersOf(result), (QList<int>{2, 4, 6}));
    QCOMPARE(rowIssuesOf(result), QStringList{QStringLiteral("row 6: audience")});
    QCOMPARE(result.rows[1].brief.valueProposition, QStringLiteral("x\ny"));
}

void TestBriefCsv::fileProblems_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QStringList>("fields");
    QTest::addColumn<QStringList>("keywords");
    const QStringList file{QString()};
    const auto says = [](const char *text) { return QStringList{QString::fromUtf8(text)}; };

    QTest::newRow("empty file") << QByteArray() << file << says("The file is empty");
    QTest::newRow("byte order mark only") << QByteArray("\xEF\xBB\xBF") << file << says("empty");
    QTest::newRow("blank lines only") << QByteArray("\n\r\n  \n") << file << says("empty");
    QTest::newRow("header only")
        << header << file
        << says("The file has a header row but no briefs. Add one brief per row below the header.");
    QTest::newRow("header and blank lines only")
        << QByteArray(header + "\n,,\n\n") << file << says("no briefs");
    QTest::newRow("no header row")
        << QByteArray("TrailLite 2,Trail runners,Light.\n") << file
        << says("The first row must name the columns: product_name, audience, value_proposition");
    QTest::newRow("JSON given as CSV") << QByteArray("{\"product_name\": \"TrailLite 2\"}\n")
                                       << file << says("The first row must name the columns");
    QTest::newRow("unknown column")
        << QByteArray(header.trimmed() + ",colour\nA,aud,val,red\n")
        << QStringList{QStringLiteral("colour")}
        << says("Unknown column \"colour\" (column D) — Brieflow doesn't use it.");
    QTest::newRow("misspelt column")
        << QByteArray("product_name,audience,value_propostion\nA,aud,val\n")
        << QStringList{QStringLiteral("value_propostion"), BriefField::ValueProposition}
        << QStringList{QStringLiteral("Did you mean \"value_proposition\"?"),
                       QStringLiteral("The required column \"value_proposition\" is missing")};
    QTest::newRow("Replicate's name for the count")
        << QByteArray(header.trimmed() + ",num_outputs\nA,aud,val,2\n")
        << QStringList{QStringLiteral("num_outputs")} << says("Did you mean \"image_count\"?");
    QTest::newRow("JSON name for the count")
        << QByteArray(header.trimmed() + ",count\nA,aud,val,2\n")
        << QStringList{QStringLiteral("count")} << says("Did you mean \"image_count\"?");
    QTest::newRow("missing required columns")
        << QByteArray("product_name,tone\nA,calm\n")
        << QStringList{BriefField::Audience, BriefField::ValueProposition}
        << QStringList{QStringLiteral("The required column \"audience\" is missing — add it to "
                                      "the header row (row 1)."),
                       QStringLiteral("\"value_proposition\"")};
    QTest::newRow("duplicate column")
        << QByteArray(header.trimmed() + ",Audience\nA,aud,val,aud2\n")
        << QStringList{BriefField::Audience}
        << says("The column \"audience\" appears twice (columns B and D) — keep only one.");
    QTest::newRow("unnamed column with values")
        << QByteArray(header.trimmed() + ",\nA,aud,val,\nB,aud,val,oops\n") << file
        << says("Column D has values (first in row 3) but no name in the header row.");
    QTest::newRow("unterminated quote in the header")
        << QByteArray("product_name,\"audience,value_proposition\nA,aud,val\n") << file
        << says("The header row (row 1) has a quote (\") that is never closed.");
    QTest::newRow("UTF-16 file") << QByteArray("\xFF\xFEp\0r\0", 6) << file
                                 << says("saved as UTF-16");
}

void TestBriefCsv::fileProblems()
{
    QFETCH(QByteArray, csv);
    QFETCH(QStringList, fields);
    QFETCH(QStringList, keywords);
    const CsvBriefs result = briefsFromCsv(csv);
    QVERIFY(!result.ok());
    BRIEF_VERIFY_ISSUES(result.fileIssues, fields, keywords);
    QVERIFY2(allRowIssues(result).isEmpty(), qPrintable(dumpAll(result)));
}

void TestBriefCsv::rowProblems_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QStringList>("issues"); // "row N: field"
    QTest::addColumn<QStringList>("keywords");
    QTest::addColumn<int>("validCount");

    QTest::newRow("too many cells")
        << QByteArray(header + "A,aud,val\nB,Runners, walkers,val\n")
        << QStringList{QStringLiteral("row 3: ")}
        << QStringList{QStringLiteral("This row has 4 cells but the header row has 3 columns — a "
                                      "cell containing a comma must be put in double quotes.")}
        << 1;
    QTest::newRow("too many cells, semicolons")
        << QByteArray("product_name;audience;value_proposition\nA;aud;val;extra\n")
        << QStringList{QStringLiteral("row 2: ")} << QStringList{QStringLiteral("a semicolon")}
        << 0;
    QTest::newRow("too few cells")
        << QByteArray(header + "A,aud\n") << QStringList{QStringLiteral("row 2: ")}
        << QStringList{QStringLiteral("This row has 2 cells but the header row has 3 columns — "
                                      "add the missing cells")}
        << 0;
    QTest::newRow("unterminated quote")
        << QByteArray(header + "A,aud,val\nB,\"Runners, val\nC,aud,val\n")
        << QStringList{QStringLiteral("row 3: audience")}
        << QStringList{QStringLiteral("A quote (\") opens the Audience cell of this row but is "
                                      "never closed")}
        << 1;
    QTest::newRow("missing required values")
        << QByteArray(header + "\" \",\xC2\xA0,\xE2\x80\x8B\nA,,val\n") // space, NBSP, ZWSP
        << QStringList{QStringLiteral("row 2: product_name"), QStringLiteral("row 2: audience"),
                       QStringLiteral("row 2: value_proposition"),
                       QStringLiteral("row 3: audience")}
        << QStringList{QStringLiteral("Product name is required."),
                       QStringLiteral("Audience is required."),
                       QStringLiteral("Value proposition is required."),
                       QStringLiteral("Audience is required.")}
        << 0;
    QTest::newRow("image count in words")
        << QByteArray(header.trimmed() + ",image_count\nA,aud,val,two\n")
        << QStringList{QStringLiteral("row 2: image.count")}
        << QStringList{QStringLiteral(
               "Number of images must be a whole number from 1 to 4; got \"two\".")}
        << 0;
    QTest::newRow("image count out of range")
        << QByteArray(header.trimmed()
                      + ",image_count\nA,aud,val,0\nB,aud,val,5\nC,aud,val,-1\nD,aud,val,2.5\n")
        << QStringList{QStringLiteral("row 2: image.count"), QStringLiteral("row 3: image.count"),
                       QStringLiteral("row 4: image.count"), QStringLiteral("row 5: image.count")}
        << QStringList{QStringLiteral("got 0."), QStringLiteral("got 5."),
                       QStringLiteral("got -1."),
                       QStringLiteral("whole number from 1 to 4; got \"2.5\"")}
        << 0;
    QTest::newRow("bad aspect ratio and format")
        << QByteArray(header.trimmed() + ",aspect_ratio,output_format\nA,aud,val,16x9,gif\n")
        << QStringList{QStringLiteral("row 2: image.aspect_ratio"),
                       QStringLiteral("row 2: image.output_format")}
        << QStringList{QStringLiteral("Did you mean \"16:9\"?"), QStringLiteral("got \"gif\"")}
        << 0;
    QTest::newRow("line break in a quoted product name")
        << QByteArray(header + "\"Trail\nLite\",aud,val\n")
        << QStringList{QStringLiteral("row 2: product_name")}
        << QStringList{QStringLiteral("Product name must be on one line")} << 0;
    QTest::newRow("control character")
        << QByteArray(header + "A,aud\x07,val\n") << QStringList{QStringLiteral("row 2: audience")}
        << QStringList{QStringLiteral("(U+0007)")} << 0;
    QTest::newRow("too long") << QByteArray(header + QByteArray(81, 'p') + ",aud,val\n")
                              << QStringList{QStringLiteral("row 2: product_name")}
                              << QStringList{QStringLiteral("81 characters, the limit is 80")} << 0;
}

void TestBriefCsv::rowProblems()
{
    QFETCH(QByteArray, csv);
    QFETCH(QStringList, issues);
    QFETCH(QStringList, keywords);
    QFETCH(int, validCount);
    const CsvBriefs result = briefsFromCsv(csv);
    QVERIFY2(result.fileIssues.isEmpty(), qPrintable(dumpAll(result)));
    QVERIFY(!result.ok());
    QCOMPARE(rowIssuesOf(result), issues);
    const BriefIssues all = allRowIssues(result);
    for (qsizetype i = 0; i < keywords.size(); ++i)
        QVERIFY2(all[i].message.contains(keywords[i]), qPrintable(dumpAll(result)));
    QCOMPARE(result.validCount(), validCount);
}

void TestBriefCsv::goodRowsSurviveBadOnes()
{
    // Bytes that aren't UTF-8 (a Windows-1252 export): the file and the row say so.
    const QByteArray csv = header + "Caf\xE9,aud,val\nTrailLite 2,aud,val\n";
    const CsvBriefs result = briefsFromCsv(csv);
    QVERIFY(!result.ok());
    BRIEF_VERIFY_ISSUES(result.fileIssues, QStringList{QString()},
                        QStringList{QStringLiteral("The file isn't saved as UTF-8 text, so some "
                                                   "letters can't be read (first in row 2). In "
                                                   "Excel, save it as \"CSV UTF-8\"")});
    QCOMPARE(rowIssuesOf(result), QStringList{QStringLiteral("row 2: product_name")});
    QVERIFY(result.rows[0].issues[0].message.contains(QLatin1String("(byte 0xE9)")));
    QCOMPARE(result.validCount(), 1);
    QCOMPARE(result.validBriefs().size(), 1);
    QCOMPARE(result.validBriefs().first().productName, QStringLiteral("TrailLite 2"));

    // An unknown column makes the file not ok, but the rows are still checked.
    const CsvBriefs unknown =
        briefsFromCsv(header.trimmed() + ",colour\nA,aud,val,red\nB,,val,x\n");
    QVERIFY(!unknown.ok());
    QCOMPARE(test::fieldsOf(unknown.fileIssues), QStringList{QStringLiteral("colour")});
    QCOMPARE(rowIssuesOf(unknown), QStringList{QStringLiteral("row 3: audience")});
    QCOMPARE(unknown.validCount(), 1);
}

void TestBriefCsv::limits()
{
    QByteArray atLimit = header;
    for (int i = 0; i < MaxBriefCsvRows; ++i)
        atLimit += "P" + QByteArray::number(i) + ",a,v\n";
    const CsvBriefs ok = briefsFromCsv(atLimit);
    QVERIFY(ok.ok());
    QCOMPARE(ok.validCount(), MaxBriefCsvRows);
    QCOMPARE(ok.rows.last().row, MaxBriefCsvRows + 1);

    const CsvBriefs tooMany = briefsFromCsv(atLimit + "one more,a,v\n");
    QVERIFY(!tooMany.ok());
    QVERIFY(tooMany.rows.isEmpty());
    BRIEF_VERIFY_ISSUES(
        tooMany.fileIssues, QStringList{QString()},
        QStringList{QStringLiteral("The file has 10,001 briefs; at most 10,000 can "
                                   "be read at once. Split it into smaller files.")});

    const QByteArray huge = header + "A,a,\"" + QByteArray(MaxBriefCsvBytes, 'v') + "\"\n";
    const CsvBriefs tooLarge = briefsFromCsv(huge);
    QVERIFY(tooLarge.rows.isEmpty());
    BRIEF_VERIFY_ISSUES(tooLarge.fileIssues, QStringList{QString()},
                        QStringList{QStringLiteral("The file is too large (10.0 MB); a CSV of "
                                                   "briefs can be at most 10.0 MB.")});
}

QTEST_GUILESS_MAIN(TestBriefCsv)
#include "tst_briefcsv.moc"
