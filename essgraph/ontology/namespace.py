"""Ontology terms as DefinedNamespace classes; a test checks them against ontology/*.ttl."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

EG_IRI = "https://w3id.org/essgraph/def#"
CONCEPT_IRI = "https://w3id.org/essgraph/id/concept/"

ESSGLOBAL = Namespace("http://purl.org/essglobal/vocab/")
ORG = Namespace("http://www.w3.org/ns/org#")
REGORG = Namespace("http://www.w3.org/ns/regorg#")
SCHEMA = Namespace("https://schema.org/")
INSEE = Namespace("http://rdf.insee.fr/def/geo#")
INSEE_DEP = Namespace("http://id.insee.fr/geo/departement/")


class EG(DefinedNamespace):
    """The essgraph ontology (ontology/essgraph.ttl)."""

    _NS = Namespace(EG_IRI)
    _fail = True

    # classes: documents and their parts
    Document: URIRef
    Section: URIRef
    Fiche: URIRef
    Passage: URIRef
    Publication: URIRef
    PublicationSeries: URIRef
    Law: URIRef
    # classes: actors
    Agent: URIRef
    Initiative: URIRef
    Organisation: URIRef
    Collectivite: URIRef
    Person: URIRef
    Role: URIRef
    Programme: URIRef
    Event: URIRef
    Place: URIRef
    Agreement: URIRef
    CallForProjects: URIRef
    Label: URIRef
    # classes: relation nodes that carry numbers
    Funding: URIRef
    CapitalParticipation: URIRef
    Contract: URIRef
    Participation: URIRef
    KeyFigure: URIRef
    # classes: curation
    CuratedLink: URIRef
    EntitySplit: URIRef

    # document structure
    sourceFile: URIRef
    sha256: URIRef
    mediaType: URIRef
    recordCount: URIRef
    skippedRecords: URIRef
    recordField: URIRef
    usageLabel: URIRef  # thesaurus: everyday words for a concept (search only)
    hasSection: URIRef
    inDocument: URIRef
    sectionNumber: URIRef
    sectionKind: URIRef
    order: URIRef
    series: URIRef
    hasPassage: URIRef
    inSection: URIRef
    text: URIRef
    startLine: URIRef
    endLine: URIRef
    charStart: URIRef
    charEnd: URIRef
    page: URIRef
    pageStart: URIRef
    pageEnd: URIRef
    url: URIRef
    edition: URIRef
    mentions: URIRef
    # provenance
    confidence: URIRef
    extractedBy: URIRef
    # entity attributes
    legalForm: URIRef
    collectiviteLevel: URIRef
    departementCode: URIRef
    inDepartement: URIRef
    locatedIn: URIRef
    inseeCode: URIRef
    siret: URIRef
    theme: URIRef
    numberInSeries: URIRef
    # relations between entities
    illustratesLever: URIRef
    usesLever: URIRef
    supports: URIRef
    partnerOf: URIRef
    organisedBy: URIRef
    hostedBy: URIRef
    venue: URIRef
    speaker: URIRef
    memberOf: URIRef
    refersToFiche: URIRef
    cites: URIRef
    publishedBy: URIRef
    authoredBy: URIRef
    pilotedBy: URIRef
    signatoryOf: URIRef
    subsidiaryOf: URIRef
    labelledBy: URIRef
    represents: URIRef
    createdBy: URIRef
    relatedTo: URIRef
    # n-ary relation roles and values
    funder: URIRef
    movedPassage: URIRef
    beneficiary: URIRef
    underAgreement: URIRef
    amount: URIRef
    year: URIRef
    action: URIRef
    holder: URIRef
    company: URIRef
    sharePercent: URIRef
    contractKind: URIRef
    contractingAuthority: URIRef
    contractor: URIRef
    duration: URIRef
    object: URIRef
    person: URIRef
    organisation: URIRef
    roleTitle: URIRef
    period: URIRef
    eventDate: URIRef
    eventStatus: URIRef
    participantCount: URIRef
    participant: URIRef
    value: URIRef
    unit: URIRef
    about: URIRef
    # curation
    curatedBy: URIRef
    reason: URIRef
    status: URIRef


# Concept schemes of the thesaurus (ontology/thesaurus/*.ttl)
SCHEME_LEVIERS = URIRef(CONCEPT_IRI + "leviers")
SCHEME_THEMATIQUES = URIRef(CONCEPT_IRI + "thematiques")
SCHEME_FORMES = URIRef(CONCEPT_IRI + "formes-juridiques")
SCHEME_NIVEAUX = URIRef(CONCEPT_IRI + "niveaux-collectivite")
SCHEME_ORGANISATIONS = URIRef(CONCEPT_IRI + "organisations")
SCHEME_KINDS = URIRef(CONCEPT_IRI + "types-de-section")
SCHEME_STATUTS = URIRef(CONCEPT_IRI + "statuts-evenement")

CONCEPT = Namespace(CONCEPT_IRI)
