// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include "core/app/imagedeletion.h"
#include "core/pipeline/stepoutput.h"
#include "core/store/jobstore.h"
#include "storetestutil.h"

using namespace brieflow;
using namespace brieflow::test;

class TestImageDeletion : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void removesRecordsAndUnsharedFiles();
    void aFileThatCannotBeRemovedIsReported();
    void unknownIdsDeleteNothing();

private:
    /** A job with one image step and images written to real files (name → contents). */
    QList<OutputRecord> addImages(const QList<std::pair<QString, QByteArray>> &files);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<JobStore> m_store;
};

void TestImageDeletion::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto opened =
        JobStore::open(m_dir->filePath(QStringLiteral("jobs.sqlite3")), JobStore::Mode::Writer);
    VERIFY_OK(opened);
    m_store = std::move(opened).value();
}

void TestImageDeletion::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

QList<OutputRecord> TestImageDeletion::addImages(const QList<std::pair<QString, QByteArray>> &files)
{
    const auto job = m_store->createJob(
        {QStringLiteral("campaign_asset"), "{\"product_name\":\"P\"}", strings({"image"})});
    if (!job)
        return {};
    StepRecord step = m_store->steps(job->id).value().first();
    QList<OutputRecord> records;
    for (const auto &[name, contents] : files) {
        const QString path = m_dir->filePath(name);
        QFile file(path);
        if (!QFile::exists(path)) {
            if (!file.open(QIODevice::WriteOnly) || file.write(contents) != contents.size())
                return {};
            file.close();
        }
        OutputRecord o;
        o.jobId = job->id;
        o.stepId = step.id;
        o.kind = QStringLiteral("image");
        o.filePath = path;
        o.sha256 = QString::fromLatin1(contents.toHex());
        o.mime = QStringLiteral("image/png");
        o.bytes = contents.size();
        auto added = m_store->addOutput(o);
        if (!added)
            return {};
        records << *added;
    }
    step.status = StepStatus::Succeeded;
    step.outputPayload = imageStepOutput(records);
    if (!m_store->updateStep(step) || !m_store->setJobOutput(job->id, jobOutput({}, records)))
        return {};
    return records;
}

void TestImageDeletion::removesRecordsAndUnsharedFiles()
{
    const auto first = addImages({{QStringLiteral("a.png"), "aaaa"},
                                  {QStringLiteral("shared.png"), "ssss"},
                                  {QStringLiteral("b.png"), "bbbb"}});
    QCOMPARE(first.size(), 3);
    const auto second = addImages({{QStringLiteral("shared.png"), "ssss"}});
    QCOMPARE(second.size(), 1);

    const auto deleted = deleteImages(*m_store, {first.at(0).id, first.at(1).id});
    VERIFY_OK(deleted);
    QCOMPARE(deleted->deleted, 2);
    QCOMPARE(deleted->filesRemoved, 1);
    QVERIFY(deleted->filesNotRemoved.isEmpty());
    QVERIFY(!QFile::exists(first.at(0).filePath));
    // The other job's image still uses the shared file.
    QVERIFY(QFile::exists(first.at(1).filePath));
    QVERIFY(QFile::exists(first.at(2).filePath));
    QVERIFY(!m_store->output(first.at(0).id).value());
    QVERIFY(!m_store->output(first.at(1).id).value());
    QCOMPARE(outputIdsOfStepOutput(m_store->steps(first.at(0).jobId).value().first().outputPayload),
             QList<OutputId>{first.at(2).id});

    const auto again = deleteImages(*m_store, {second.at(0).id});
    VERIFY_OK(again);
    QCOMPARE(again->deleted, 1);
    QCOMPARE(again->filesRemoved, 1);
    QVERIFY(!QFile::exists(second.at(0).filePath));
    QCOMPARE(m_store->countGalleryImages({}).value(), 1);
}

void TestImageDeletion::aFileThatCannotBeRemovedIsReported()
{
    // A path that QFile::remove() refuses whoever runs the test (permissions don't stop root):
    // a folder where the image should be.
    const auto images = addImages({{QStringLiteral("x.png"), "xxxx"}});
    QCOMPARE(images.size(), 1);
    const QString path = images.at(0).filePath;
    QVERIFY(QFile::remove(path));
    QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("x.png/inside")));

    const auto deleted = deleteImages(*m_store, {images.at(0).id});
    VERIFY_OK(deleted);
    // The record is gone all the same; the file is reported.
    QCOMPARE(deleted->deleted, 1);
    QCOMPARE(deleted->filesRemoved, 0);
    QCOMPARE(deleted->filesNotRemoved, QStringList{path});
    QVERIFY(QFileInfo::exists(path));
    QVERIFY(!m_store->output(images.at(0).id).value());

    // A file that is already gone is no failure.
    const auto gone = addImages({{QStringLiteral("gone.png"), "gggg"}});
    QCOMPARE(gone.size(), 1);
    QVERIFY(QFile::remove(gone.at(0).filePath));
    const auto again = deleteImages(*m_store, {gone.at(0).id});
    VERIFY_OK(again);
    QCOMPARE(again->deleted, 1);
    QCOMPARE(again->filesRemoved, 0);
    QVERIFY(again->filesNotRemoved.isEmpty());
}

void TestImageDeletion::unknownIdsDeleteNothing()
{
    const auto images = addImages({{QStringLiteral("k.png"), "kkkk"}});
    QCOMPARE(images.size(), 1);
    const auto deleted = deleteImages(*m_store, {OutputId::generate()});
    VERIFY_OK(deleted);
    QCOMPARE(deleted->deleted, 0);
    QCOMPARE(deleted->filesRemoved, 0);
    QVERIFY(QFile::exists(images.at(0).filePath));
    QVERIFY(m_store->output(images.at(0).id).value());
    const auto none = deleteImages(*m_store, {});
    VERIFY_OK(none);
    QCOMPARE(none->deleted, 0);
}

QTEST_GUILESS_MAIN(TestImageDeletion)
#include "tst_imagedeletion.moc"
