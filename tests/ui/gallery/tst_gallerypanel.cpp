// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QAction>
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include "core/settings.h"
#include "tests/support/teststore.h"
#include "tests/ui/gallery/gallerytestutil.h"
#include "ui/gallery/galleryfilterbar.h"
#include "ui/gallery/gallerymodel.h"
#include "ui/gallery/gallerypanel.h"
#include "ui/gallery/promptjobdialog.h"

using namespace brieflow;
using brieflow::ui::GalleryModel;
using brieflow::ui::GalleryPanel;

class TestGalleryPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void emptyStatesTeach();
    void filterBarOffersProductsAndCounts();
    void compareIsEnabledOnlyForTwoToFour();
    void starActionStarsAndUnstars();
    void deleteAsksThenRemovesRowsAndFiles();
    void imagesOfARunningJobAreKept();
    void rerunQueuesAJobWithTheSameBrief();
    void newJobFromPromptQueuesTheEditedPrompt();
    void showJobAsksForTheImagesJob();
    void refreshWhileHiddenWaitsForTheShow();

private:
    std::unique_ptr<GalleryPanel> makePanel();
    void select(GalleryPanel &panel, int count);
    QList<OutputRecord> seed(int count, const JobRecord &job);

    std::unique_ptr<test::TempDataDir> m_dir;
    std::unique_ptr<JobStore> m_writer;
    std::unique_ptr<JobStore> m_reader;
    std::unique_ptr<Settings> m_settings;
    QString m_images;
};

void TestGalleryPanel::init()
{
    m_dir = std::make_unique<test::TempDataDir>();
    m_writer = test::openTestStore(*m_dir);
    QVERIFY(m_writer);
    m_reader = test::openTestStore(*m_dir, JobStore::Mode::Reader);
    QVERIFY(m_reader);
    m_settings = std::make_unique<Settings>(m_dir->paths().settingsFile());
    m_images = m_dir->filePath(QStringLiteral("outputs"));
}

void TestGalleryPanel::cleanup()
{
    m_settings.reset();
    m_reader.reset();
    m_writer.reset();
    m_dir.reset();
}

std::unique_ptr<GalleryPanel> TestGalleryPanel::makePanel()
{
    auto panel =
        std::make_unique<GalleryPanel>(*m_reader, m_writer.get(), nullptr, m_settings.get());
    panel->resize(1200, 800);
    panel->show();
    return panel;
}

QList<OutputRecord> TestGalleryPanel::seed(int count, const JobRecord &job)
{
    QList<OutputRecord> out;
    const QDateTime base = QDateTime::currentDateTimeUtc().addSecs(-3600);
    for (int i = 0; i < count; ++i)
        out << test::addGalleryImage(*m_writer, m_images, job, QColor(30 * i, 80, 120),
                                     base.addSecs(60 * i));
    return out;
}

void TestGalleryPanel::select(GalleryPanel &panel, int count)
{
    QItemSelectionModel *selection = panel.view()->selectionModel();
    selection->clearSelection();
    for (int row = 0; row < count; ++row)
        selection->select(panel.model()->index(row), QItemSelectionModel::Select);
    if (count > 0)
        selection->setCurrentIndex(panel.model()->index(0), QItemSelectionModel::NoUpdate);
}

void TestGalleryPanel::emptyStatesTeach()
{
    auto panel = makePanel();
    QVERIFY(panel->emptyStateText().startsWith(QStringLiteral("No images yet")));
    QVERIFY(panel->emptyStateText().contains(QStringLiteral("Create")));
    QVERIFY(!panel->view()->isVisible());
    QSignalSpy create(panel.get(), &GalleryPanel::createRequested);
    QTest::mouseClick(panel->emptyStateButton(), Qt::LeftButton);
    QCOMPARE(create.count(), 1);

    const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
    seed(2, job);
    panel->refresh();
    QCOMPARE(panel->emptyStateText(), QString());
    QVERIFY(panel->view()->isVisible());

    // Starred only: nothing is starred yet.
    panel->filterBar()->starredButton()->click();
    QCOMPARE(panel->emptyStateText(), QStringLiteral("No images match these filters."));
    QCOMPARE(panel->emptyStateButton()->text(), QStringLiteral("Clear filters"));
    QVERIFY(panel->filterBar()->clearButton()->isVisible());
    QTest::mouseClick(panel->emptyStateButton(), Qt::LeftButton);
    QCOMPARE(create.count(), 1);
    QVERIFY(!panel->filterBar()->starredButton()->isChecked());
    QCOMPARE(panel->model()->rowCount(), 2);
    QCOMPARE(panel->emptyStateText(), QString());
    QVERIFY(!panel->filterBar()->clearButton()->isVisible());
}

void TestGalleryPanel::filterBarOffersProductsAndCounts()
{
    const JobRecord trail = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
    const JobRecord cafe = test::addGalleryJob(*m_writer, QStringLiteral("Café Ñandú"));
    seed(3, trail);
    seed(1, cafe);
    auto panel = makePanel();
    ui::GalleryFilterBar *bar = panel->filterBar();
    QCOMPARE(bar->countLabel()->text(), QStringLiteral("4 images"));
    QComboBox *products = bar->productFilter();
    QCOMPARE(products->count(), 3);
    QCOMPARE(products->itemText(0), QStringLiteral("All products"));
    const int cafeIndex = products->findText(QStringLiteral("Café Ñandú"));
    QVERIFY(cafeIndex > 0);
    products->setCurrentIndex(cafeIndex);
    QCOMPARE(panel->model()->rowCount(), 1);
    QCOMPARE(bar->countLabel()->text(), QStringLiteral("1 image"));

    // Text waits for the typing to stop.
    products->setCurrentIndex(0);
    QTest::keyClicks(bar->searchField(), QStringLiteral("zzz-nothing"));
    QCOMPARE(panel->model()->rowCount(), 4);
    QTRY_COMPARE(panel->model()->rowCount(), 0);
    QCOMPARE(panel->model()->query().text, QStringLiteral("zzz-nothing"));
}

void TestGalleryPanel::compareIsEnabledOnlyForTwoToFour()
{
    const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
    seed(5, job);
    auto panel = makePanel();
    QAction *compare = panel->action(GalleryPanel::Action::Compare);
    select(*panel, 1);
    QVERIFY(!compare->isEnabled());
    QVERIFY(compare->toolTip().contains(QStringLiteral("Select 2 to 4")));
    for (int n : {2, 3, 4}) {
        select(*panel, n);
        QVERIFY2(compare->isEnabled(), qPrintable(QString::number(n)));
    }
    select(*panel, 5);
    QVERIFY(!compare->isEnabled());
    QVERIFY(compare->toolTip().contains(QStringLiteral("up to 4")));
    select(*panel, 0);
    QVERIFY(!compare->isEnabled());
    QVERIFY(!panel->action(GalleryPanel::Action::Preview)->isEnabled());
}

void TestGalleryPanel::starActionStarsAndUnstars()
{
    const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
    const QList<OutputRecord> images = seed(3, job);
    auto panel = makePanel();
    select(*panel, 2);
    QAction *star = panel->action(GalleryPanel::Action::Star);
    QCOMPARE(star->text(), QStringLiteral("Star"));
    star->trigger();
    GalleryQuery starred;
    starred.starredOnly = true;
    QCOMPARE(m_writer->countGalleryImages(starred).value(), 2);
    QVERIFY(panel->model()->index(0).data(GalleryModel::StarredRole).toBool());
    QVERIFY(!panel->model()->index(2).data(GalleryModel::StarredRole).toBool());
    QCOMPARE(star->text(), QStringLiteral("Unstar"));
    star->trigger();
    QCOMPARE(m_writer->countGalleryImages(starred).value(), 0);
    QCOMPARE(star->text(), QStringLiteral("Star"));
    // S in the grid does the same.
    panel->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(panel.get()));
    panel->view()->setFocus();
    QTest::keyClick(panel->view(), Qt::Key_S);
    QCOMPARE(m_writer->countGalleryImages(starred).value(), 2);
}

void TestGalleryPanel::deleteAsksThenRemovesRowsAndFiles()
{
    const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
    const QList<OutputRecord> images = seed(3, job);
    auto panel = makePanel();
    QStringList asked;
    bool answer = false;
    panel->setConfirm([&](const QString &, const QString &text) {
        asked << text;
        return answer;
    });
    select(*panel, 2);
    const QString first = panel->model()->index(0).data(GalleryModel::FilePathRole).toString();
    const QString second = panel->model()->index(1).data(GalleryModel::FilePathRole).toString();
    QVERIFY(QFileInfo::exists(first) && QFileInfo::exists(second));

    panel->action(GalleryPanel::Action::Delete)->trigger();
    QCOMPARE(asked.size(), 1);
    QVERIFY(asked.first().contains(QStringLiteral("Delete 2 images?")));
    QVERIFY(asked.first().contains(QStringLiteral("removed from disk")));
    QCOMPARE(panel->model()->rowCount(), 3); // declined: nothing happened
    QVERIFY(QFileInfo::exists(first));

    answer = true;
    QSignalSpy deleted(panel.get(), &GalleryPanel::imagesDeleted);
    panel->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(panel.get()));
    panel->view()->setFocus();
    QTest::keyClick(panel->view(), Qt::Key_Delete);
    QCOMPARE(asked.size(), 2);
    QCOMPARE(panel->model()->rowCount(), 1);
    QCOMPARE(panel->model()->index(0).data(GalleryModel::OutputIdRole).toString(),
             images.first().id.toString());
    QVERIFY(!QFileInfo::exists(first));
    QVERIFY(!QFileInfo::exists(second));
    QVERIFY(QFileInfo::exists(images.first().filePath));
    QCOMPARE(deleted.count(), 1);
    QCOMPARE(deleted.at(0).at(0).value<QList<JobId>>(), QList<JobId>{job.id});
    QCOMPARE(m_writer->outputs(job.id)->size(), 1);
}

void TestGalleryPanel::imagesOfARunningJobAreKept()
{
    const JobRecord job =
        test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"), JobStatus::Processing);
    seed(1, job);
    auto panel = makePanel();
    select(*panel, 1);
    QVERIFY(!panel->action(GalleryPanel::Action::Delete)->isEnabled());
    int asked = 0;
    panel->setConfirm([&](const QString &, const QString &) { return ++asked, true; });
    panel->deleteSelected();
    QCOMPARE(asked, 0);
    QCOMPARE(panel->model()->rowCount(), 1);
}

void TestGalleryPanel::rerunQueuesAJobWithTheSameBrief()
{
    const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("Café Ñandú"));
    seed(2, job);
    auto panel = makePanel();
    select(*panel, 2); // two images of one job: one new job
    QSignalSpy queued(panel.get(), &GalleryPanel::jobsQueued);
    panel->action(GalleryPanel::Action::Rerun)->trigger();
    QCOMPARE(queued.count(), 1);
    const auto ids = queued.at(0).at(0).value<QList<JobId>>();
    QCOMPARE(ids.size(), 1);
    QVERIFY(ids.first() != job.id);
    const auto again = m_writer->job(ids.first());
    QVERIFY(again.ok() && again->has_value());
    QCOMPARE(toString((*again)->status), toString(JobStatus::Pending));
    QCOMPARE(briefOfJob(**again), briefOfJob(job));
}

void TestGalleryPanel::newJobFromPromptQueuesTheEditedPrompt()
{
    const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"),
                                              JobStatus::Succeeded, QStringLiteral("Run lighter."),
                                              QStringLiteral("A runner on a ridge at dawn"));
    seed(1, job);
    auto panel = makePanel();
    select(*panel, 1);
    QSignalSpy queued(panel.get(), &GalleryPanel::jobsQueued);
    panel->action(GalleryPanel::Action::NewFromPrompt)->trigger();
    ui::PromptJobDialog *dialog = panel->promptDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->promptEdit()->toPlainText(), QStringLiteral("A runner on a ridge at dawn"));

    // An empty prompt is refused inline; the dialog stays.
    dialog->promptEdit()->setPlainText(QStringLiteral("   "));
    QVERIFY(!dialog->queueButton()->isEnabled());
    dialog->queueJob();
    QVERIFY(!dialog->errorText().isEmpty());
    QCOMPARE(queued.count(), 0);

    dialog->promptEdit()->setPlainText(QStringLiteral("A runner on a ridge at dusk, wide shot"));
    QTest::mouseClick(dialog->queueButton(), Qt::LeftButton);
    QCOMPARE(queued.count(), 1);
    const JobId fresh = queued.at(0).at(0).value<QList<JobId>>().first();
    const auto steps = m_writer->steps(fresh);
    QVERIFY(steps.ok());
    bool sawPrompt = false;
    for (const StepRecord &step : steps.value()) {
        if (step.name == QLatin1String("image_prompt")) {
            sawPrompt = true;
            QCOMPARE(toString(step.status), toString(StepStatus::Succeeded));
            QVERIFY(step.outputPayload.contains("dusk, wide shot"));
        }
        if (step.name == QLatin1String("image"))
            QCOMPARE(toString(step.status), toString(StepStatus::Pending));
    }
    QVERIFY(sawPrompt);
    QTRY_VERIFY(!panel->promptDialog());
}

void TestGalleryPanel::showJobAsksForTheImagesJob()
{
    const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
    seed(2, job);
    auto panel = makePanel();
    QSignalSpy show(panel.get(), &GalleryPanel::showJobRequested);
    select(*panel, 2);
    QVERIFY(!panel->action(GalleryPanel::Action::ShowJob)->isEnabled()); // one image only
    select(*panel, 1);
    panel->action(GalleryPanel::Action::ShowJob)->trigger();
    QCOMPARE(show.count(), 1);
    QCOMPARE(show.at(0).at(0).value<JobId>(), job.id);
}

void TestGalleryPanel::refreshWhileHiddenWaitsForTheShow()
{
    const JobRecord job = test::addGalleryJob(*m_writer, QStringLiteral("TrailLite 2"));
    auto panel = makePanel();
    panel->hide();
    seed(1, job);
    panel->refreshLater();
    QVERIFY(!panel->model()->hasPendingRefresh());
    QCOMPARE(panel->model()->rowCount(), 0);
    panel->show();
    QCOMPARE(panel->model()->rowCount(), 1);
    QCOMPARE(panel->filterBar()->countLabel()->text(), QStringLiteral("1 image"));
}

QTEST_MAIN(TestGalleryPanel)
#include "tst_gallerypanel.moc"
