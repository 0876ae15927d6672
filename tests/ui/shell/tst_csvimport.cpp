// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QFile>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>

#include "core/settings.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "ui/mainwindow.h"
#include "ui/widgets/csvimportdialog.h"

using namespace brieflow;
using ui::CsvImportDialog;

namespace {

const QByteArray mixedCsv = "product_name,audience,value_proposition,aspect_ratio\n"
                            "TrailLite 2,Trail runners,The lightest trail shoe.,16:9\n"
                            "NoteKeeper,,Notes that find themselves.,1:1\n"
                            "Café Ñandú,Coffee lovers,Roasted this morning.,7:3\n";

} // namespace

class TestCsvImport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void previewListsRowsAndTheirProblems();
    void fileProblemsQueueNothing();
    void windowQueuesOnlyOnConfirm();
};

void TestCsvImport::previewListsRowsAndTheirProblems()
{
    CsvImportDialog dialog(QStringLiteral("/tmp/briefs.csv"), mixedCsv);
    QCOMPARE(dialog.table()->rowCount(), 3);
    QCOMPARE(dialog.table()->item(0, 0)->text(), QStringLiteral("2"));
    QCOMPARE(dialog.table()->item(0, 1)->text(), QStringLiteral("TrailLite 2"));
    QCOMPARE(dialog.table()->item(0, 3)->text(), QStringLiteral("Ready"));
    QVERIFY(dialog.table()->item(1, 3)->text().contains(QLatin1String("Audience")));
    const QString problems = dialog.problemsText();
    QVERIFY2(problems.contains(QStringLiteral("Row 3 · Audience: Audience is required.")),
             qPrintable(problems));
    QVERIFY2(problems.contains(QStringLiteral("Row 4 · ")), qPrintable(problems));
    QVERIFY(!problems.contains(QLatin1String("Row 2 ")));
    QCOMPARE(dialog.validBriefs().size(), 1);
    QVERIFY(dialog.queueButton()->isEnabled());
    QCOMPARE(dialog.queueButton()->text(), QStringLiteral("Queue 1 valid row(s)"));
}

void TestCsvImport::fileProblemsQueueNothing()
{
    CsvImportDialog dialog(QStringLiteral("x.csv"), "product,colour\nA,red\n");
    QVERIFY(!dialog.queueButton()->isEnabled());
    QVERIFY(dialog.problemsText().startsWith(QStringLiteral("File · ")));
    QVERIFY(dialog.validBriefs().isEmpty());
}

void TestCsvImport::windowQueuesOnlyOnConfirm()
{
    test::TempDataDir dir;
    QCOMPARE(dir.paths().ensureExists(), QString());
    auto store = JobStore::open(dir.paths().databaseFile(), JobStore::Mode::Writer);
    QVERIFY(store.ok());
    Settings settings(dir.paths().settingsFile());
    const QString csvPath = dir.filePath(QStringLiteral("briefs.csv"));
    {
        QFile f(csvPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(mixedCsv);
    }
    ui::MainWindow window(*store.value(), settings, dir.paths());
    window.show();

    window.importCsvFile(csvPath);
    CsvImportDialog *preview = window.csvImportDialog();
    QVERIFY(preview);
    QVERIFY(preview->isVisible());
    QCOMPARE(store.value()->jobs(JobQuery())->size(), 0); // nothing before confirming
    preview->reject();
    QTRY_VERIFY(!window.csvImportDialog());
    QCOMPARE(store.value()->jobs(JobQuery())->size(), 0);

    window.importCsvFile(csvPath);
    preview = window.csvImportDialog();
    QVERIFY(preview);
    QTest::mouseClick(preview->queueButton(), Qt::LeftButton);
    const auto jobs = store.value()->jobs(JobQuery());
    QCOMPARE(jobs->size(), 1); // only the valid row
    QVERIFY(jobs->first().status == JobStatus::Pending);
}

QTEST_MAIN(TestCsvImport)
#include "tst_csvimport.moc"
