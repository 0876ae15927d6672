// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Cost before and after queuing (issue 8 part 1, cost): the CSV import's estimate for its valid
// rows, the estimate under the brief form's Generate (the image step counted once per image),
// and the job pane's "Done in … · Cost so far: …" line — on a real database seeded with
// finished jobs of known predict_times (tests/ui/queue/historyseed.h), against hand-computed
// figures at the default prices (llama $0.000025/s, flux $0.003/s).
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

#include "core/monitoring/pricetable.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "tests/support/tempdatadir.h"
#include "tests/support/teststore.h"
#include "tests/ui/queue/historyseed.h"
#include "ui/jobdetail/jobdetailview.h"
#include "ui/mainwindow.h"
#include "ui/queue/jobestimates.h"
#include "ui/queue/jobtablemodel.h"
#include "ui/queue/queuepanel.h"
#include "ui/shell/settingsdialog.h"
#include "ui/widgets/briefform.h"
#include "ui/widgets/csvimportdialog.h"

using namespace brieflow;
using ui::JobEstimates;

namespace {

// Three valid rows (1, 1 and 2 images) and one with a problem (left out of the estimate).
const QByteArray batchCsv = "product_name,audience,value_proposition,image_count\n"
                            "TrailLite 2,Trail runners,The lightest trail shoe.,1\n"
                            "NoteKeeper,,Notes that find themselves.,1\n"
                            "Café Ñandú,Coffee lovers,Roasted this morning.,1\n"
                            "Brightside,Early risers,A lamp that wakes you gently.,2\n";

} // namespace

class TestCostEstimates : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void csvDialogWithoutHistory();
    void csvDialogShowsTheEstimate();
    void briefFormCountsEachImage();
    void jobPaneShowsEtaAndCost();
    void windowWiresEstimatesAndPrices();

private:
    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_writer;
    std::unique_ptr<JobStore> m_reader;
};

void TestCostEstimates::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    m_writer = test::openTestStore(*m_dir);
    QVERIFY(m_writer);
    m_reader = test::openTestStore(*m_dir, JobStore::Mode::Reader);
    QVERIFY(m_reader);
}

void TestCostEstimates::cleanup()
{
    m_reader.reset();
    m_writer.reset();
    m_dir.reset();
}

void TestCostEstimates::csvDialogWithoutHistory()
{
    JobEstimates estimates(*m_reader);
    ui::CsvImportDialog dialog(QStringLiteral("batch.csv"), batchCsv);
    QVERIFY(dialog.costLabel()->text().isEmpty());
    dialog.setEstimates(&estimates);
    QCOMPARE(dialog.costLabel()->text(),
             QStringLiteral("no cost estimate yet — Brieflow needs a finished job with these "
                            "models first"));
}

void TestCostEstimates::csvDialogShowsTheEstimate()
{
    QVERIFY(test::seedHistory(*m_writer));
    JobEstimates estimates(*m_reader);
    ui::CsvImportDialog dialog(QStringLiteral("batch.csv"), batchCsv);
    QCOMPARE(dialog.validBriefs().size(), 3);
    dialog.setEstimates(&estimates);
    // Per job: the text steps' median predict_times (3 + 1.5 s) × $0.000025 = $0.0001125;
    // per image: the image step's median (6 s) × $0.003 = $0.018. Three jobs, four images:
    // 3 × 0.0001125 + 4 × 0.018 = $0.0723375 → "$0.072".
    const auto cost = estimates.estimateCost(dialog.validBriefs());
    QVERIFY(cost);
    QCOMPARE(*cost, 3 * 4.5 * 0.000025 + 4 * 6 * 0.003);
    QCOMPARE(dialog.costLabel()->text(), QStringLiteral("3 jobs · estimated cost about $0.072"));

    // Dearer prices reach the estimate.
    PriceTable prices = PriceTable::defaults();
    QVERIFY(prices.setPrice(test::flux, 0.03));
    estimates.setPrices(prices);
    dialog.setEstimates(&estimates);
    QCOMPARE(dialog.costLabel()->text(), QStringLiteral("3 jobs · estimated cost about $0.72"));

    if (const QByteArray dir = qgetenv("BRIEFLOW_UI_GRABS"); !dir.isEmpty()) {
        estimates.setPrices(PriceTable::defaults());
        dialog.setEstimates(&estimates);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.grab().save(
            QDir(QString::fromLocal8Bit(dir)).filePath(QStringLiteral("csv-estimate.png"))));
    }
}

void TestCostEstimates::briefFormCountsEachImage()
{
    JobEstimates estimates(*m_reader);
    ui::BriefForm form;
    QVERIFY(form.costLabel()->isHidden()); // no estimates: nothing shown
    form.setEstimates(&estimates);
    QCOMPARE(form.costLabel()->text(),
             QStringLiteral("No cost estimate yet — Brieflow needs a finished job with these "
                            "models first."));

    QVERIFY(test::seedHistory(*m_writer));
    estimates.invalidate();
    form.updateCostEstimate();
    // One image: 0.0001125 + 0.018 = $0.0181125 → "$0.018".
    QCOMPARE(form.costLabel()->text(), QStringLiteral("Estimated cost about $0.018 (1 image)"));
    // Three images: 0.0001125 + 3 × 0.018 = $0.0541125 → "$0.054", as soon as the count changes.
    auto *count = form.findChild<QSpinBox *>();
    QVERIFY(count);
    count->setValue(3);
    QCOMPARE(form.costLabel()->text(), QStringLiteral("Estimated cost about $0.054 (3 images)"));
    if (const QByteArray dir = qgetenv("BRIEFLOW_UI_GRABS"); !dir.isEmpty()) {
        form.resize(300, 720);
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        QVERIFY(form.grab().save(
            QDir(QString::fromLocal8Bit(dir)).filePath(QStringLiteral("form-estimate.png"))));
    }
}

void TestCostEstimates::jobPaneShowsEtaAndCost()
{
    QVERIFY(test::seedHistory(*m_writer));
    // A running job: the concept done (predict_time 4 s → 4 × $0.000025 = $0.0001), the image
    // prompt running for 5 s.
    const JobRecord job = test::addJob(*m_writer, QStringLiteral("Running"));
    const QDateTime now = QDateTime::currentDateTimeUtc().addSecs(120);
    auto steps = m_writer->steps(job.id);
    QVERIFY(steps);
    StepRecord conceptStep = steps->at(0);
    auto call = m_writer->recordCallIntent(job.id, conceptStep.id, 1, test::llama,
                                           QString(64, QLatin1Char('a')));
    QVERIFY(call);
    ProviderCallRecord c = *call;
    c.state = CallState::Succeeded;
    c.predictionId = QStringLiteral("p-running-concept");
    c.metrics = R"({"predict_time":4.0})";
    c.completedAt = now.addSecs(-5);
    QVERIFY(m_writer->updateCall(c));
    conceptStep.status = StepStatus::Succeeded;
    conceptStep.attemptCount = 1;
    conceptStep.startedAt = now.addSecs(-60);
    conceptStep.completedAt = now.addSecs(-5);
    QVERIFY(m_writer->updateStep(conceptStep));
    StepRecord prompt = steps->at(1);
    prompt.status = StepStatus::Processing;
    prompt.startedAt = now.addSecs(-5);
    QVERIFY(m_writer->updateStep(prompt));
    QVERIFY(
        test::setStatus(*m_writer, job.id, JobStatus::Processing, QStringLiteral("image_prompt")));

    JobEstimates estimates(*m_reader);
    estimates.setClock([now] { return now; });
    ui::JobDetailView view(*m_reader, m_writer.get(), nullptr, m_dir->path());
    view.setEstimates(&estimates);
    view.showJob(job.id);
    // Image prompt: 20 s median − 5 s spent = 15 s, then the image step's 100 s: 115 s.
    QCOMPARE(view.estimateLine()->text(),
             QStringLiteral("Done in about 2 min · Cost so far: $0.00010"));
    QVERIFY(!view.estimateLine()->isHidden());
    if (const QByteArray dir = qgetenv("BRIEFLOW_UI_GRABS"); !dir.isEmpty()) {
        view.resize(520, 420);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.grab().save(
            QDir(QString::fromLocal8Bit(dir)).filePath(QStringLiteral("jobpane-estimate.png"))));
    }

    // A finished job: what it cost (history job 1: (2 + 1) × 0.000025 + 5 × 0.003 = $0.015075).
    JobQuery succeeded;
    succeeded.status = JobStatus::Succeeded;
    const auto finished = m_reader->jobs(succeeded);
    QVERIFY(finished);
    JobId first;
    for (const JobRecord &record : *finished) {
        if (record.inputPayload.contains("History 1"))
            first = record.id;
    }
    QVERIFY(!first.isNull());
    view.showJob(first);
    QCOMPARE(view.estimateLine()->text(), QStringLiteral("Cost: $0.015"));
    QCOMPARE(*estimates.jobCost(first), 3 * 0.000025 + 5 * 0.003);
}

void TestCostEstimates::windowWiresEstimatesAndPrices()
{
    QVERIFY(test::seedHistory(*m_writer));
    Settings settings(m_dir->paths().settingsFile());
    settings.setValue(Settings::MaxConcurrentJobs, 2);
    const JobRecord waiting = test::addJob(*m_writer, QStringLiteral("Waiting"));
    ui::MainWindow window(*m_writer, settings, m_dir->paths());
    JobEstimates *estimates = window.estimates();
    QVERIFY(estimates);
    QCOMPARE(estimates->concurrentJobs(), 2);
    // The queue, the form and the CSV import all use it.
    const QModelIndex status =
        window.jobModel()->index(window.jobModel()->rowOf(waiting.id), ui::JobTableModel::Status);
    QCOMPARE(status.data(ui::JobTableModel::EtaMsRole).toLongLong(), test::historyJobMs);
    QCOMPARE(window.briefForm()->costLabel()->text(),
             QStringLiteral("Estimated cost about $0.018 (1 image)"));
    const QString csvPath = QDir(m_dir->path()).filePath(QStringLiteral("batch.csv"));
    {
        QFile f(csvPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(batchCsv);
    }
    window.importCsvFile(csvPath);
    QVERIFY(window.csvImportDialog());
    QCOMPARE(window.csvImportDialog()->costLabel()->text(),
             QStringLiteral("3 jobs · estimated cost about $0.072"));
    window.csvImportDialog()->reject();

    // Settings ▸ Cost ▸ Apply: the new prices reach the estimates at once.
    ui::SettingsDialog *dialog = window.openSettings(ui::SettingsDialog::Page::Cost);
    QTableWidget *prices = dialog->priceTable();
    for (int row = 0; row < prices->rowCount(); ++row) {
        if (prices->item(row, 0)->text() == test::flux)
            prices->item(row, 1)->setText(QStringLiteral("0.03"));
    }
    dialog->apply();
    QCOMPARE(estimates->prices().usdPerSecond(test::flux), 0.03);
    // 0.0001125 + 6 × 0.03 = $0.1801125
    QCOMPARE(window.briefForm()->costLabel()->text(),
             QStringLiteral("Estimated cost about $0.18 (1 image)"));
    // Jobs at once reach the ETAs too.
    dialog->jobsAtOnce()->setValue(1);
    dialog->apply();
    QCOMPARE(estimates->concurrentJobs(), 1);
    dialog->reject();
}

QTEST_MAIN(TestCostEstimates)
#include "tst_costestimates.moc"
