// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The export fixture itself: what it writes must look like what the engine writes, or the export
// tests built on it prove nothing.
#include <QCryptographicHash>
#include <QFile>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "tests/core/export/exportfixture.h"

using namespace brieflow;
using brieflow::test::ExportFixture;

class TestExportFixture : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void jobsAreFinishedCampaignJobs()
    {
        ExportFixture fixture(4);
        QVERIFY2(fixture.isValid(), qPrintable(fixture.error()));
        QCOMPARE(fixture.jobs().size(), 4);
        QCOMPARE(fixture.outputIds().size(), 2 + 1 + 1 + 3);
        for (const auto &made : fixture.jobs()) {
            const auto job = fixture.store().job(made.id);
            QVERIFY(job && job->has_value());
            QCOMPARE(toString((*job)->status), toString(JobStatus::Succeeded));
            QCOMPARE(briefOfJob(**job), made.brief);
            const auto steps = fixture.store().steps(made.id);
            QVERIFY(steps);
            QCOMPARE(steps->size(), 4);
            for (const StepRecord &step : *steps)
                QCOMPARE(toString(step.status), toString(StepStatus::Succeeded));
            QCOMPARE(textOfStepOutput(steps->at(0).outputPayload), made.conceptText);
            QCOMPARE(textOfStepOutput(steps->at(1).outputPayload), made.imagePrompt);
            QList<OutputId> ids;
            for (const OutputRecord &o : made.images)
                ids << o.id;
            QCOMPARE(outputIdsOfStepOutput(steps->at(2).outputPayload), ids);
            QCOMPARE(steps->at(2).attemptCount, made.imageAttempts);
            const QJsonObject imageInput =
                QJsonDocument::fromJson(steps->at(2).inputPayload).object();
            QCOMPARE(imageInput.value(QStringLiteral("prompt")).toString(), made.imagePrompt);
            QCOMPARE(imageInput.contains(QStringLiteral("seed")), made.seedInInput);

            const auto calls = fixture.store().calls(steps->at(2).id);
            QVERIFY(calls);
            QCOMPARE(calls->size(), made.imageAttempts);
            const ProviderCallRecord &last = calls->last();
            QCOMPARE(toString(last.state), toString(CallState::Succeeded));
            QCOMPARE(last.predictionId, made.imagePredictionId);
            const QJsonObject raw = QJsonDocument::fromJson(last.rawLastResponse).object();
            QCOMPARE(raw.value(QStringLiteral("status")).toString(), QStringLiteral("succeeded"));
            QCOMPARE(raw.value(QStringLiteral("model")).toString(),
                     QStringLiteral("black-forest-labs/flux-schnell"));
            QVERIFY(raw.value(QStringLiteral("logs"))
                        .toString()
                        .contains(QStringLiteral("Using seed: %1\n").arg(made.seed)));
            QCOMPARE(raw.value(QStringLiteral("output")).toArray().size(), made.images.size());

            const QJsonObject summary = QJsonDocument::fromJson((*job)->outputPayload).object();
            QCOMPARE(summary.value(QStringLiteral("images")).toArray().size(), made.images.size());
            QCOMPARE(summary.value(QStringLiteral("texts"))
                         .toObject()
                         .value(QStringLiteral("concept"))
                         .toString(),
                     made.conceptText);

            for (const OutputRecord &o : made.images) {
                QFile file(o.filePath);
                QVERIFY(file.open(QIODevice::ReadOnly));
                const QByteArray bytes = file.readAll();
                QCOMPARE(QString::fromLatin1(
                             QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()),
                         o.sha256);
                QCOMPARE(o.bytes, bytes.size());
                QVERIFY(o.filePath.startsWith(fixture.outputsDir()));
                QImageReader reader(o.filePath);
                const QByteArray format = reader.format();
                const QImage decoded = reader.read();
                QVERIFY2(!decoded.isNull(), qPrintable(reader.errorString()));
                QCOMPARE(decoded.size(), QSize(o.width, o.height));
                QCOMPARE(QString::fromLatin1(format), made.storedFormat == QStringLiteral("jpg")
                                                          ? QStringLiteral("jpeg")
                                                          : made.storedFormat);
            }
        }
        QVERIFY(fixture.jobWithFormat(QStringLiteral("png")));
        QVERIFY(fixture.jobWithFormat(QStringLiteral("jpg")));
        QVERIFY(fixture.jobWithFormat(QStringLiteral("webp")));
    }
};

QTEST_GUILESS_MAIN(TestExportFixture)
#include "tst_exportfixture.moc"
